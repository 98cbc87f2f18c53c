package store

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"
)

// The deployments' customer search (DeploymentFilter.Customer: part of the name, ignoring
// case) is served by an index instead of a scan of every row:
//
//   - PostgreSQL: a GIN index of pg_trgm trigrams on LOWER(customer), which serves the query's
//     own LOWER(customer) LIKE '%…%' (the planner uses it for a needle of 3 characters or more):
//     the query is unchanged, so are its results. Where the extension cannot be created (a role
//     without the right, a server without the contrib modules) the migration falls back to a
//     B-tree index on LOWER(customer) (text_pattern_ops), which serves only prefixes: the
//     search then still scans, as before.
//   - SQLite: an FTS5 table with the trigram tokenizer over the customer names (kept by
//     triggers), whose LIKE finds the candidate rows (case folded, a superset); the query keeps
//     its LOWER(customer) LIKE predicate on them, so the results are those of the scan.

// customerFTS is the SQLite FTS5 table indexing deployments.customer by trigrams.
const customerFTS = "deployments_customer_fts"

// customerSearchIndex is migration 13.
func customerSearchIndex(tx *gorm.DB) error {
	if tx.Dialector.Name() == "postgres" {
		return customerTrigramIndex(tx)
	}
	for _, stmt := range []string{
		`CREATE VIRTUAL TABLE IF NOT EXISTS ` + customerFTS + ` USING fts5(customer, content='deployments', content_rowid='id', tokenize='trigram')`,
		`CREATE TRIGGER IF NOT EXISTS deployments_customer_fts_insert AFTER INSERT ON deployments BEGIN
			INSERT INTO ` + customerFTS + `(rowid, customer) VALUES (new.id, new.customer); END`,
		`CREATE TRIGGER IF NOT EXISTS deployments_customer_fts_delete AFTER DELETE ON deployments BEGIN
			INSERT INTO ` + customerFTS + `(` + customerFTS + `, rowid, customer) VALUES ('delete', old.id, old.customer); END`,
		`CREATE TRIGGER IF NOT EXISTS deployments_customer_fts_update AFTER UPDATE OF customer ON deployments BEGIN
			INSERT INTO ` + customerFTS + `(` + customerFTS + `, rowid, customer) VALUES ('delete', old.id, old.customer);
			INSERT INTO ` + customerFTS + `(rowid, customer) VALUES (new.id, new.customer); END`,
		`INSERT INTO ` + customerFTS + `(` + customerFTS + `) VALUES ('rebuild')`,
	} {
		if err := tx.Exec(stmt).Error; err != nil {
			return fmt.Errorf("customer search index: %w", err)
		}
	}
	return nil
}

// customerTrigramIndex creates pg_trgm (in its own savepoint: a refusal must not abort the
// migration's transaction) and the GIN index, naming the operator class in the extension's
// schema; or, failing that, the prefix index.
func customerTrigramIndex(tx *gorm.DB) error {
	var schema string
	err := tx.Transaction(func(sp *gorm.DB) error {
		if err := sp.Exec("CREATE EXTENSION IF NOT EXISTS pg_trgm").Error; err != nil {
			return err
		}
		if err := sp.Raw("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'").Scan(&schema).Error; err != nil {
			return err
		}
		return sp.Exec(fmt.Sprintf("CREATE INDEX IF NOT EXISTS idx_deployments_customer_trgm ON deployments USING gin (LOWER(customer) %s.gin_trgm_ops)", quoteIdent(schema))).Error
	})
	if err == nil {
		return nil
	}
	if err := tx.Exec("CREATE INDEX IF NOT EXISTS idx_deployments_customer_lower ON deployments (LOWER(customer) text_pattern_ops)").Error; err != nil {
		return fmt.Errorf("customer search index: %w", err)
	}
	return nil
}

// quoteIdent quotes a PostgreSQL identifier.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// customerCandidates narrows q, a query of deployments, to those the SQLite trigram index
// finds for needle (lower-cased, as the LIKE predicate's); q keeps that predicate, so this
// only spares the scan. Needles the index cannot serve (under 3 characters, or with LIKE's
// wildcards or escape) leave q as it is, as does PostgreSQL (its index serves the predicate).
func (s *Store) customerCandidates(q *gorm.DB, needle string) *gorm.DB {
	if s.dialect != "sqlite" || utf8.RuneCountInString(needle) < 3 || strings.ContainsAny(needle, `%_\`) {
		return q
	}
	return q.Where("id IN (SELECT rowid FROM "+customerFTS+" WHERE customer LIKE ?)", "%"+needle+"%")
}
