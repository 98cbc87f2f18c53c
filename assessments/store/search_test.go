package store_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments/store"
	"github.com/piaflow/piaflow/assessments/store/storetest"
)

// TestCustomerSearchIndex: the customer search served by the index (trigrams: FTS5 on
// SQLite, pg_trgm on PostgreSQL) finds exactly what a scan with the same predicate finds —
// short needles, case, non-ASCII letters, LIKE's wildcards and escape, a renamed customer —
// and on SQLite the query reads the index.
func TestCustomerSearchIndex(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		customers := []string{"Klinikum Nord GmbH", "ÄRZTE Verbund", "ärzte eG", "100% Care_Ltd", `a\b Praxis`, "Nordic Health", "Praxis am Markt", "xx"}
		var ids []uint64
		for i, c := range customers {
			d, err := s.CreateDeployment(ctx, nil, piaflow.Deployment{Name: "D" + string(rune('a'+i)), Customer: c})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, d.ID)
		}
		db, err := s.SQL()
		if err != nil {
			t.Fatal(err)
		}
		// A rename reaches the index (the SQLite trigger; PostgreSQL's index is on the column).
		if _, err := db.ExecContext(ctx, "UPDATE deployments SET customer = 'Praxis Süd' WHERE id = "+fmtID(ids[6])); err != nil {
			t.Fatal(err)
		}
		scan := func(needle string) []uint64 {
			esc := strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(strings.ToLower(needle))
			q := `SELECT id FROM deployments WHERE LOWER(customer) LIKE $1 ESCAPE '\' ORDER BY id DESC`
			if s.Dialect() == "sqlite" {
				q = strings.Replace(q, "$1", "?", 1)
			}
			rows, err := db.QueryContext(ctx, q, "%"+esc+"%")
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var out []uint64
			for rows.Next() {
				var id uint64
				if err := rows.Scan(&id); err != nil {
					t.Fatal(err)
				}
				out = append(out, id)
			}
			return out
		}
		for _, needle := range []string{"nord", "NORD", "kli", "ärz", "ÄRZ", "ÄRZTE", "rzte", "%", "_", `\`, "100%", "e_l", "gmb", "xyz", "x", "xx", "süd", "markt", "praxis", "eg"} {
			got, _, err := s.Deployments(ctx, piaflow.DeploymentFilter{Customer: needle, Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			var gotIDs []uint64
			for _, d := range got {
				gotIDs = append(gotIDs, d.ID)
			}
			if want := scan(needle); !slices.Equal(gotIDs, want) {
				t.Errorf("customer %q: %v; the scan finds %v", needle, gotIDs, want)
			}
		}
		if s.Dialect() == "sqlite" {
			var plan strings.Builder
			rows, err := db.QueryContext(ctx, "EXPLAIN QUERY PLAN SELECT id FROM deployments WHERE LOWER(customer) LIKE '%nord%' AND id IN (SELECT rowid FROM deployments_customer_fts WHERE customer LIKE '%nord%')")
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var a, b, c int
				var detail string
				if err := rows.Scan(&a, &b, &c, &detail); err != nil {
					t.Fatal(err)
				}
				plan.WriteString(detail + "\n")
			}
			rows.Close()
			if !strings.Contains(plan.String(), "VIRTUAL TABLE INDEX 0:L0") || !strings.Contains(plan.String(), "SEARCH deployments USING INTEGER PRIMARY KEY") {
				t.Errorf("the search does not read the index:\n%s", plan.String())
			}
		} else {
			var n int
			if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM pg_indexes WHERE indexname = 'idx_deployments_customer_trgm' AND schemaname = current_schema()").Scan(&n); err != nil || n != 1 {
				t.Errorf("no trigram index (%d, %v)", n, err)
			}
		}
	})
}

func fmtID(id uint64) string { return strconv.FormatUint(id, 10) }

// BenchmarkCustomerSearch10k: a customer search among 10,000 deployments: Store.Deployments
// (a page and the count, through the index), and the count alone through the index and by the
// scan the index replaces (PostgreSQL: after dropping it).
func BenchmarkCustomerSearch10k(b *testing.B) {
	for _, dialect := range storetest.Dialects(b) {
		b.Run(dialect, func(b *testing.B) {
			ctx := context.Background()
			s := storetest.Open(b, dialect)
			db, err := s.SQL()
			if err != nil {
				b.Fatal(err)
			}
			tx, err := db.BeginTx(ctx, nil)
			if err != nil {
				b.Fatal(err)
			}
			ins := "INSERT INTO deployments (name, customer, status, created_at, updated_at) VALUES ($1, $2, 'active', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
			if dialect == "sqlite" {
				ins = strings.NewReplacer("$1", "?", "$2", "?").Replace(ins)
			}
			for i := range 10_000 {
				if _, err := tx.ExecContext(ctx, ins, "D"+strconv.Itoa(i), "Customer "+strconv.Itoa(i*7919%100_000)+" Klinik GmbH"); err != nil {
					b.Fatal(err)
				}
			}
			if err := tx.Commit(); err != nil {
				b.Fatal(err)
			}
			if _, err := db.ExecContext(ctx, "ANALYZE"); err != nil {
				b.Fatal(err)
			}
			b.Run("deployments", func(b *testing.B) {
				for b.Loop() {
					if _, n, err := s.Deployments(ctx, piaflow.DeploymentFilter{Customer: "r 4242", Limit: 50}); err != nil || n == 0 {
						b.Fatal(n, err)
					}
				}
			})
			count := func(q string) func(b *testing.B) {
				return func(b *testing.B) {
					for b.Loop() {
						var n int
						if err := db.QueryRowContext(ctx, q).Scan(&n); err != nil || n == 0 {
							b.Fatal(n, err)
						}
					}
				}
			}
			scan := `SELECT COUNT(*) FROM deployments WHERE LOWER(customer) LIKE '%r 4242%'`
			if dialect == "sqlite" {
				b.Run("count-index", count(scan+` AND id IN (SELECT rowid FROM deployments_customer_fts WHERE customer LIKE '%r 4242%')`))
			} else {
				b.Run("count-index", count(scan))
				if _, err := db.ExecContext(ctx, "DROP INDEX idx_deployments_customer_trgm"); err != nil {
					b.Fatal(err)
				}
			}
			b.Run("count-scan", count(scan))
		})
	}
}
