package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"reflect"
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
// goroutine holds another cannot wait for itself for ever.
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
	// inTx is set while a transaction of this connection holds the slot: its statements are
	// covered; endTx ends it (gives the slot back).
	inTx  bool
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
	return &slotStmt{Stmt: st, conn: c, write: mayWrite(query)}, nil
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
	c.inTx = true
	c.endTx = func() { c.inTx, c.endTx = false, nil; release() }
	return &slotTx{Tx: tx, done: c.endTx}, nil
}

func (c *slotConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if c.inTx || !mayWrite(query) {
		return c.conn.ExecContext(ctx, query, args)
	}
	release, err := c.slot.acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	return c.conn.ExecContext(ctx, query, args)
}

func (c *slotConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if c.inTx || !mayWrite(query) {
		return c.conn.QueryContext(ctx, query, args)
	}
	release, err := c.slot.acquire(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := c.conn.QueryContext(ctx, query, args)
	if err != nil {
		release()
		return nil, err
	}
	return &slotRows{Rows: rows, release: release}, nil
}

func (c *slotConn) Ping(ctx context.Context) error { return c.conn.Ping(ctx) }

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

// slotStmt is a prepared statement of a slotConn; one that may write takes the slot outside a
// transaction, as the connection's own Exec and Query do.
type slotStmt struct {
	driver.Stmt
	conn  *slotConn
	write bool
}

func (s *slotStmt) guard(ctx context.Context) (func(), error) {
	if s.conn.inTx || !s.write {
		return func() {}, nil
	}
	return s.conn.slot.acquire(ctx)
}

func (s *slotStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	release, err := s.guard(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	if x, ok := s.Stmt.(driver.StmtExecContext); ok {
		return x.ExecContext(ctx, args)
	}
	return nil, errNoContextStmt
}

// errNoContextStmt: the driver's statements implement the context methods (glebarez/go-sqlite).
var errNoContextStmt = errors.New("sqlite driver statement lacks the context methods")

func (s *slotStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	release, err := s.guard(ctx)
	if err != nil {
		return nil, err
	}
	x, ok := s.Stmt.(driver.StmtQueryContext)
	if !ok {
		release()
		return nil, errNoContextStmt
	}
	rows, err := x.QueryContext(ctx, args)
	if err != nil {
		release()
		return nil, err
	}
	return &slotRows{Rows: rows, release: release}, nil
}

// slotRows holds the slot of a statement that may write (UPDATE … RETURNING) until its rows are
// closed: SQLite writes as the rows are read.
type slotRows struct {
	driver.Rows
	release func()
}

func (r *slotRows) Close() error {
	defer r.release()
	return r.Rows.Close()
}

func (r *slotRows) ColumnTypeDatabaseTypeName(i int) string {
	if x, ok := r.Rows.(driver.RowsColumnTypeDatabaseTypeName); ok {
		return x.ColumnTypeDatabaseTypeName(i)
	}
	return ""
}

func (r *slotRows) ColumnTypeLength(i int) (int64, bool) {
	if x, ok := r.Rows.(driver.RowsColumnTypeLength); ok {
		return x.ColumnTypeLength(i)
	}
	return 0, false
}

func (r *slotRows) ColumnTypeNullable(i int) (bool, bool) {
	if x, ok := r.Rows.(driver.RowsColumnTypeNullable); ok {
		return x.ColumnTypeNullable(i)
	}
	return false, false
}

func (r *slotRows) ColumnTypePrecisionScale(i int) (int64, int64, bool) {
	if x, ok := r.Rows.(driver.RowsColumnTypePrecisionScale); ok {
		return x.ColumnTypePrecisionScale(i)
	}
	return 0, 0, false
}

func (r *slotRows) ColumnTypeScanType(i int) reflect.Type {
	if x, ok := r.Rows.(driver.RowsColumnTypeScanType); ok {
		return x.ColumnTypeScanType(i)
	}
	return reflect.TypeFor[any]()
}
