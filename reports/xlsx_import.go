package reports

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/xuri/excelize/v2"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/i18n"
)

// ErrNotActionList is wrapped by the errors ReadActionImport returns for a file that is not an
// action list at all (not a workbook, no Actions sheet, header columns missing), as opposed to
// a *piaflow.ImportError listing bad rows.
var ErrNotActionList = errors.New("not a piaflow action list")

// notActionList is an error wrapping ErrNotActionList whose text ("not a piaflow action list:
// <message>") carries its message (piaflow.ErrorTexts), so that it reads in every language.
type notActionList struct{ msg piaflow.Message }

// notList is a notActionList of the message id with its parameters.
func notList(id string, pairs ...any) error {
	return &notActionList{msg: piaflow.NewMessage(id, pairs...)}
}

func (e *notActionList) Error() string                  { return ErrNotActionList.Error() + ": " + e.msg.English() }
func (e *notActionList) Unwrap() error                  { return ErrNotActionList }
func (e *notActionList) ErrorMessage() *piaflow.Message { return &e.msg }

// importCatalogs are the translation catalogues, loaded on first use; they never change.
var importCatalogs = sync.OnceValues(i18n.Load)

// importColumns are the Actions columns the import reads, by catalogue key.
var importColumns = []string{
	xlsxActionCols[actID].key, xlsxActionCols[actKey].key, xlsxActionCols[actStatus].key,
	xlsxActionCols[actAssignee].key, xlsxActionCols[actComment].key,
}

// ReadActionImport reads the Actions sheet of an action list written by WriteXLSX in any
// language and edited by the user. It returns one piaflow.ActionEdit per non-empty row, or a
// *piaflow.ImportError listing every row problem (missing or invalid id, duplicate id, unknown
// status), or an error wrapping ErrNotActionList when r is not such a workbook or is too large
// (over piaflow.MaxImportBytes bytes, or over importMaxCells cells). Whether the ids belong to
// the deployment, and whether the user may accept a risk, is for the caller to check
// (piaflow.PlanImport).
func ReadActionImport(r io.Reader) (edits []piaflow.ActionEdit, err error) {
	cats, err := importCatalogs()
	if err != nil {
		return nil, fmt.Errorf("read action list: %w", err)
	}
	b, err := io.ReadAll(io.LimitReader(r, piaflow.MaxImportBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read action list: %w", err)
	}
	if len(b) > piaflow.MaxImportBytes {
		return nil, fmt.Errorf("read action list: %w", notList("error.action_list.too_large", "max", piaflow.MaxImportBytes>>20))
	}
	defer func() {
		// excelize parses untrusted bytes; a malformed file must not take the server down.
		if p := recover(); p != nil {
			edits, err = nil, fmt.Errorf("read action list: %w", notList("error.action_list.malformed", "reason", fmt.Sprint(p)))
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{UnzipSizeLimit: 128 << 20, UnzipXMLSizeLimit: 16 << 20})
	if err != nil {
		return nil, fmt.Errorf("read action list: %w", notList("error.action_list.not_xlsx", "reason", err.Error()))
	}
	defer f.Close()
	imp := newActionImporter(cats)
	rows, err := imp.actionRows(f)
	if err != nil {
		return nil, fmt.Errorf("read action list: %w", err)
	}
	return imp.parse(rows)
}

// actionImporter maps the headers and status labels of every language.
type actionImporter struct {
	cats *i18n.Catalogs
	en   *i18n.Localizer
	// headers maps a folded header text to its catalogue key.
	headers map[string]string
	// statuses maps a folded status label or code to the code.
	statuses map[string]string
	// sheetNames are the Actions sheet's names in every language.
	sheetNames []string
}

func newActionImporter(cats *i18n.Catalogs) *actionImporter {
	imp := &actionImporter{cats: cats, en: cats.Get(i18n.English), headers: map[string]string{}, statuses: map[string]string{}}
	for _, st := range piaflow.ActionStatuses() {
		imp.statuses[importFold(st)] = st
		imp.statuses[importFold(strings.ReplaceAll(st, "_", " "))] = st
	}
	for _, lang := range i18n.Languages() {
		l := cats.Get(lang)
		imp.sheetNames = append(imp.sheetNames, l.T(sheetActions))
		for _, key := range importColumns {
			imp.headers[importFold(l.T(key))] = key
		}
		for _, st := range piaflow.ActionStatuses() {
			imp.statuses[importFold(l.T("status."+st))] = st
		}
	}
	return imp
}

// importFold normalises text for matching: trimmed, lower case, inner spaces collapsed.
func importFold(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// importRow is a non-blank row of the Actions sheet and its number as Excel shows it.
type importRow struct {
	n     int
	cells []string
}

// importMaxCells bounds the cells the importer reads, blank cells left of a value included:
// excelize spends time on every column up to a row's last value, so a small file with values
// in column XFD of many rows would otherwise take minutes. A 10,000-action list has 120,000.
const importMaxCells = 2_000_000

// importHeaderRows is how many rows from the top may hold the header row.
const importHeaderRows = 10

// actionRows finds the Actions sheet (by name in any language, else the second sheet) and
// returns its non-blank rows.
func (imp *actionImporter) actionRows(f *excelize.File) ([]importRow, error) {
	sheets := f.GetSheetList()
	name := ""
	for _, s := range sheets {
		for _, want := range imp.sheetNames {
			if importFold(s) == importFold(want) {
				name = s
			}
		}
	}
	if name == "" && len(sheets) >= 2 {
		name = sheets[1]
	}
	if name == "" {
		return nil, notList("error.action_list.no_sheet", "sheets", piaflow.ListParam(" or ", importQuoteAll(imp.sheetNames)))
	}
	rows, err := readImportRows(f, name)
	if err != nil {
		return nil, notList("error.action_list.sheet", "sheet", strconv.Quote(name), "reason", err.Error())
	}
	return rows, nil
}

// readImportRows reads the non-blank rows of a sheet, refusing more than importMaxCells.
func readImportRows(f *excelize.File, sheet string) ([]importRow, error) {
	it, err := f.Rows(sheet)
	if err != nil {
		return nil, err
	}
	defer it.Close()
	var out []importRow
	cells := 0
	for n := 1; it.Next(); n++ {
		row, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, err
		}
		if cells += len(row); cells > importMaxCells {
			return nil, fmt.Errorf("too large: more than %d cells up to row %d", importMaxCells, n)
		}
		if !importBlank(row, len(row)) {
			out = append(out, importRow{n: n, cells: row})
		}
	}
	return out, it.Error()
}

// findHeader returns the index in rows of the header row and the column index of each import
// column, or an error naming the columns it could not find.
func (imp *actionImporter) findHeader(rows []importRow) (int, map[string]int, error) {
	best, bestCols := 0, map[string]int{}
	for i := 0; i < len(rows) && rows[i].n <= importHeaderRows; i++ {
		cols := map[string]int{}
		for j, cell := range rows[i].cells {
			if key, ok := imp.headers[importFold(cell)]; ok {
				if _, dup := cols[key]; !dup {
					cols[key] = j
				}
			}
		}
		if len(cols) > len(bestCols) {
			best, bestCols = i, cols
		}
	}
	var missing []string
	for _, key := range importColumns {
		if _, ok := bestCols[key]; !ok {
			missing = append(missing, imp.columnLabels(key))
		}
	}
	if len(missing) > 0 {
		return 0, nil, notList("error.action_list.no_column", "columns", piaflow.ListParam(", ", missing))
	}
	return best, bestCols, nil
}

// columnLabels is a column's header in every language, for error messages: `Status (or "状态")`.
func (imp *actionImporter) columnLabels(key string) string {
	en := imp.en.T(key)
	var other []string
	for _, lang := range i18n.Languages() {
		if h := imp.cats.Get(lang).T(key); h != en && !slices.Contains(other, strconv.Quote(h)) {
			other = append(other, strconv.Quote(h))
		}
	}
	if len(other) == 0 {
		return en
	}
	return fmt.Sprintf("%s (or %s)", en, strings.Join(other, ", "))
}

// parse validates every row under the header and returns the edits or a *piaflow.ImportError.
func (imp *actionImporter) parse(rows []importRow) ([]piaflow.ActionEdit, error) {
	hdr, cols, err := imp.findHeader(rows)
	if err != nil {
		return nil, err
	}
	width := len(rows[hdr].cells)
	var (
		edits    []piaflow.ActionEdit
		problems []piaflow.ImportProblem
		seen     = map[uint64]int{}
	)
	for _, r := range rows[hdr+1:] {
		if importBlank(r.cells, width) {
			continue
		}
		e, errs := imp.parseRow(r.n, r.cells, cols)
		if e.ID != 0 {
			if first, dup := seen[e.ID]; dup {
				m := piaflow.NewMessage("error.import.already_on_row", "id", e.ID, "row", first)
				errs = append(errs, piaflow.ImportProblem{Row: r.n, Column: imp.en.T(xlsxActionCols[actID].key),
					Message: m.English(), Msg: &m})
			} else {
				seen[e.ID] = r.n
			}
		}
		if len(errs) > 0 {
			problems = append(problems, errs...)
			continue
		}
		edits = append(edits, e)
	}
	if len(problems) > 0 {
		return nil, &piaflow.ImportError{Problems: problems}
	}
	return edits, nil
}

// parseRow reads row number n (as Excel shows it).
func (imp *actionImporter) parseRow(n int, row []string, cols map[string]int) (piaflow.ActionEdit, []piaflow.ImportProblem) {
	cell := func(c int) string {
		i := cols[xlsxActionCols[c].key]
		if i < len(row) {
			return strings.TrimSpace(row[i])
		}
		return ""
	}
	e := piaflow.ActionEdit{Row: n, Key: cell(actKey), Assignee: cell(actAssignee), Comment: cell(actComment)}
	var errs []piaflow.ImportProblem
	problem := func(c int, id string, pairs ...any) {
		m := piaflow.NewMessage(id, pairs...)
		errs = append(errs, piaflow.ImportProblem{Row: n, Column: imp.en.T(xlsxActionCols[c].key), Message: m.English(), Msg: &m})
	}
	id, ok := importParseID(cell(actID))
	switch {
	case cell(actID) == "":
		problem(actID, "error.import.id_missing")
	case !ok:
		problem(actID, "error.import.id_invalid", "value", strconv.Quote(cell(actID)))
	default:
		e.ID = id
	}
	st, ok := imp.statuses[importFold(cell(actStatus))]
	switch {
	case cell(actStatus) == "":
		problem(actStatus, "error.import.status_missing", "statuses", imp.statusParam())
	case !ok:
		problem(actStatus, "error.import.status_invalid", "value", strconv.Quote(cell(actStatus)), "statuses", imp.statusParam())
	default:
		e.Status = st
	}
	return e, errs
}

// statusParam is the status labels as a message parameter: the message that lists them in every
// language when its English is statusList (the catalogue's labels), else statusList as written.
func (imp *actionImporter) statusParam() any {
	if m := piaflow.NewMessage("error.action_list.statuses"); m.English() == imp.statusList() {
		return map[string]any{"id": m.ID}
	}
	return imp.statusList()
}

// statusList is the English status labels, e.g. "open, in progress, done, risk accepted".
func (imp *actionImporter) statusList() string {
	labels := make([]string, 0, 4)
	for _, st := range piaflow.ActionStatuses() {
		labels = append(labels, strings.ToLower(imp.en.T("status."+st)))
	}
	return strings.Join(labels, ", ")
}

// importParseID reads a positive whole number, also written as a float ("12.0") by a spreadsheet.
func importParseID(s string) (uint64, bool) {
	if id, err := strconv.ParseUint(s, 10, 64); err == nil {
		return id, id > 0
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 1 || v > 1<<53 || v != math.Trunc(v) {
		return 0, false
	}
	return uint64(v), true
}

// importBlank reports whether the first width cells of row are all empty.
func importBlank(row []string, width int) bool {
	for i, c := range row {
		if i >= width {
			break
		}
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func importQuoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strconv.Quote(s)
	}
	return out
}
