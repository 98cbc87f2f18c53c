package store

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// SQLite lets one writer at a time into the database, and every transaction of the store takes
// the write lock at BEGIN (_txlock=immediate). Writers left to SQLite's busy handler sleep 1 ms,
// 2 ms, … up to 100 ms between tries, so four concurrent writers gave a request a p99 of about
// 100 ms for a few milliseconds of work. The process's connections therefore queue for one write
// slot before they write: every transaction (the store's, the job queue's, anyone's on the
// store's *sql.DB) and every statement outside a transaction that may write. All writers of
// the process wait in the same queue, in order, so none is starved by the others; reads outside
// a transaction never wait. Writers of other processes on the same file still meet SQLite's
// busy handler.

// writeSlot is the queue: a channel of one place. A writer that cannot get it within wait goes
// on without it, to SQLite's own wait, as before the slot: a transaction started while the same
// goroutine holds another cannot wait for itself for ever. A writer waits on a connection of its
// own, so at most as many wait as the pool opens (8 on SQLite), each at most the slot's wait.
type writeSlot struct {
	ch   chan struct{}
	wait time.Duration
	// waiting counts the writers waiting for the slot (tests watch it).
	waiting atomic.Int32
}

func newWriteSlot(wait time.Duration) *writeSlot {
	return &writeSlot{ch: make(chan struct{}, 1), wait: wait}
}

// acquire waits for the slot and returns the function that gives it back (it may be called
// more than once). Past the slot's wait it returns without the slot; with ctx done, an error.
func (w *writeSlot) acquire(ctx context.Context) (func(), error) {
	w.waiting.Add(1)
	defer w.waiting.Add(-1)
	t := time.NewTimer(w.wait)
	defer t.Stop()
	select {
	case w.ch <- struct{}{}:
		var once sync.Once
		return func() { once.Do(func() { <-w.ch }) }, nil
	case <-t.C:
		return func() {}, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("wait for the database's write slot: %w", ctx.Err())
	}
}

// mayWrite reports whether a statement may write: anything but a SELECT, VALUES or EXPLAIN
// after the leading blanks and comments (sqlc's queries start with a "-- name:" comment).
func mayWrite(query string) bool {
	q := query
	for {
		q = strings.TrimLeft(q, " \t\r\n")
		switch {
		case strings.HasPrefix(q, "--"):
			i := strings.IndexByte(q, '\n')
			if i < 0 {
				return false
			}
			q = q[i+1:]
		case strings.HasPrefix(q, "/*"):
			i := strings.Index(q, "*/")
			if i < 0 {
				return false
			}
			q = q[i+2:]
		default:
			end := strings.IndexFunc(q, func(r rune) bool { return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') })
			if end < 0 {
				end = len(q)
			}
			switch strings.ToUpper(q[:end]) {
			case "SELECT", "VALUES", "EXPLAIN", "":
				return false
			}
			return true
		}
	}
}

// sqliteConn is what the SQLite driver's connections implement.
type sqliteConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
}

// slotConnector opens the driver's connections wrapped to take the write slot.
type slotConnector struct {
	dsn  string
	drv  driver.Driver
	slot *writeSlot
}

func (c slotConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	sc, ok := conn.(sqliteConn)
	if !ok {
		_ = conn.Close()
		return nil, fmt.Errorf("sqlite driver connection %T lacks the context interfaces", conn)
	}
	return &slotConn{conn: sc, slot: c.slot}, nil
}

func (c slotConnector) Driver() driver.Driver { return c.drv }

// slotConn is one connection; database/sql uses it from one goroutine at a time.
type slotConn struct {
	conn sqliteConn
	slot *writeSlot
	// endTx is set while a transaction of this connection holds the slot (its statements are
	// covered): it ends it, giving the slot back.
	endTx func()
}

func (c *slotConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

func (c *slotConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	st, err := c.conn.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	sst, ok := st.(sqliteStmt)
	if !ok {
		_ = st.Close()
		return nil, fmt.Errorf("sqlite driver statement %T lacks the context methods", st)
	}
	return &slotStmt{sqliteStmt: sst, conn: c, write: mayWrite(query)}, nil
}

// Close closes the connection; a transaction left open on it (the driver rolls it back) gives
// the slot back.
func (c *slotConn) Close() error {
	if c.endTx != nil {
		c.endTx()
	}
	return c.conn.Close()
}

func (c *slotConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *slotConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	release, err := c.slot.acquire(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := c.conn.BeginTx(ctx, opts)
	if err != nil {
		release()
		return nil, err
	}
	c.endTx = func() { c.endTx = nil; release() }
	return &slotTx{Tx: tx, done: c.endTx}, nil
}

func (c *slotConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return c.exec(ctx, mayWrite(query), func() (driver.Result, error) { return c.conn.ExecContext(ctx, query, args) })
}

func (c *slotConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return c.query(ctx, mayWrite(query), func() (driver.Rows, error) { return c.conn.QueryContext(ctx, query, args) })
}

func (c *slotConn) Ping(ctx context.Context) error { return c.conn.Ping(ctx) }

// guard takes the slot for a statement that may write, outside a transaction (whose own slot
// covers its statements); otherwise it takes nothing.
func (c *slotConn) guard(ctx context.Context, write bool) (func(), error) {
	if c.endTx != nil || !write {
		return func() {}, nil
	}
	return c.slot.acquire(ctx)
}

// exec runs a statement under guard.
func (c *slotConn) exec(ctx context.Context, write bool, run func() (driver.Result, error)) (driver.Result, error) {
	release, err := c.guard(ctx, write)
	if err != nil {
		return nil, err
	}
	defer release()
	return run()
}

// query runs a query under guard; its rows keep what guard took until they are closed (SQLite
// writes an UPDATE … RETURNING as the rows are read).
func (c *slotConn) query(ctx context.Context, write bool, run func() (driver.Rows, error)) (driver.Rows, error) {
	release, err := c.guard(ctx, write)
	if err != nil {
		return nil, err
	}
	rows, err := run()
	if err != nil {
		release()
		return nil, err
	}
	sr, ok := rows.(sqliteRows)
	if !ok {
		_ = rows.Close()
		release()
		return nil, fmt.Errorf("sqlite driver rows %T lack the column type methods", rows)
	}
	return &slotRows{sqliteRows: sr, release: release}, nil
}

// slotTx gives the slot back when the transaction ends.
type slotTx struct {
	driver.Tx
	done func()
}

// Commit commits; a COMMIT that fails and leaves SQLite's transaction open (a deferred
// constraint) is rolled back before the slot is given back, so no later statement of the
// connection lands in it.
func (t *slotTx) Commit() error {
	defer t.done()
	err := t.Tx.Commit()
	if err != nil {
		_ = t.Tx.Rollback() // "no transaction is active" when the failed COMMIT ended it
	}
	return err
}

func (t *slotTx) Rollback() error {
	defer t.done()
	return t.Tx.Rollback()
}

// sqliteStmt is what the SQLite driver's statements implement.
type sqliteStmt interface {
	driver.Stmt
	driver.StmtExecContext
	driver.StmtQueryContext
}

// slotStmt is a prepared statement of a slotConn, guarded as the connection's own statements.
type slotStmt struct {
	sqliteStmt
	conn  *slotConn
	write bool
}

func (s *slotStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	return s.conn.exec(ctx, s.write, func() (driver.Result, error) { return s.sqliteStmt.ExecContext(ctx, args) })
}

func (s *slotStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	return s.conn.query(ctx, s.write, func() (driver.Rows, error) { return s.sqliteStmt.QueryContext(ctx, args) })
}

// sqliteRows is what the SQLite driver's rows implement (database/sql's column types).
type sqliteRows interface {
	driver.Rows
	driver.RowsColumnTypeDatabaseTypeName
	driver.RowsColumnTypeLength
	driver.RowsColumnTypeNullable
	driver.RowsColumnTypePrecisionScale
	driver.RowsColumnTypeScanType
}

// slotRows gives back what its query's guard took when they are closed.
type slotRows struct {
	sqliteRows
	release func()
}

func (r *slotRows) Close() error {
	defer r.release()
	return r.sqliteRows.Close()
}
