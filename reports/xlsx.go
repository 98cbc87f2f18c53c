package reports

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/i18n"
)

// The workbook WriteXLSX produces has these sheets, in this order; ReadActionImport finds the
// action list by the Actions sheet's name in any language or by its position.
const (
	sheetSummary       = "xlsx.sheet.summary"
	sheetActions       = "xlsx.sheet.actions"
	sheetFindings      = "xlsx.sheet.findings"
	sheetTransfers     = "xlsx.sheet.transfers"
	sheetInventory     = "xlsx.sheet.inventory"
	sheetQuestionnaire = "xlsx.sheet.questionnaire"
)

// xlsxColumn is one column of a table: the catalogue key of its header and its width.
type xlsxColumn struct {
	key   string
	width float64
}

// Columns of the Actions sheet; the act* constants index xlsxActionCols.
var xlsxActionCols = []xlsxColumn{
	{"xlsx.col.id", 8}, {"xlsx.col.finding", 45}, {"xlsx.col.action", 50}, {"xlsx.col.regime", 12},
	{"xlsx.col.citation", 24}, {"xlsx.col.severity", 11}, {"xlsx.col.owner", 18}, {"xlsx.col.assignee", 18},
	{"xlsx.col.due", 12}, {"xlsx.col.status", 16}, {"xlsx.col.comment", 40}, {"xlsx.col.key", 36},
}

const (
	actID = iota
	actFinding
	actAction
	actRegime
	actCitation
	actSeverity
	actOwner
	actAssignee
	actDue
	actStatus
	actComment
	actKey
)

var xlsxFindingCols = []xlsxColumn{
	{"xlsx.col.key", 36}, {"xlsx.col.rule", 28}, {"xlsx.col.regime", 12}, {"xlsx.col.severity", 11},
	{"xlsx.col.kind", 14}, {"xlsx.col.finding", 45}, {"xlsx.col.detail", 70}, {"xlsx.col.citation", 24},
	{"xlsx.col.citation_url", 40}, {"xlsx.col.fields", 40}, {"xlsx.col.action", 50}, {"xlsx.col.owner", 18},
	{"xlsx.col.due", 12},
}

var xlsxTransferCols = []xlsxColumn{
	{"xlsx.col.from", 8}, {"xlsx.col.to", 8}, {"xlsx.col.activity", 28}, {"xlsx.col.regime", 12},
	{"xlsx.col.verdict", 20}, {"xlsx.col.mechanisms_required", 30}, {"xlsx.col.mechanism_given", 24},
	{"xlsx.col.satisfied", 10}, {"xlsx.col.recipient", 30}, {"xlsx.col.access", 16}, {"xlsx.col.why", 60},
	{"xlsx.col.citation", 30},
}

var xlsxLocalisationCols = []xlsxColumn{
	{"xlsx.col.country", 8}, {"xlsx.col.regime", 8}, {"xlsx.col.requirement", 28}, {"xlsx.col.satisfied", 12},
	{"xlsx.col.activities", 30}, {"xlsx.col.problems", 60}, {"xlsx.col.citation", 30},
}

var xlsxInventoryCols = []xlsxColumn{
	{"xlsx.col.activity", 28}, {"xlsx.col.purposes", 36}, {"xlsx.col.legal_basis", 20},
	{"xlsx.col.subject_type", 18}, {"xlsx.col.countries", 16}, {"xlsx.col.count", 14}, {"xlsx.col.vulnerable", 12},
	{"xlsx.col.data_categories", 40}, {"xlsx.col.retention_days", 14},
}

var xlsxQuestionnaireCols = []xlsxColumn{{"xlsx.col.field", 50}, {"xlsx.col.value", 60}}

// xlsxSeverityFills colours the rows of the Actions sheet by severity.
var xlsxSeverityFills = []struct{ severity, color string }{
	{"blocker", "#FF9C9C"}, {"high", "#FFC999"}, {"medium", "#FFEB9C"}, {"low", "#E2EFDA"}, {"info", "#EDEDED"},
}

// WriteXLSX writes d as the Excel action list in l's language: the sheets Summary, Actions,
// Findings, Transfers, Data inventory and Questionnaire. Every answer, name and comment is
// written as a text cell, never as a formula. The same document gives the same workbook.
func WriteXLSX(w io.Writer, d *Document, l *i18n.Localizer) error {
	if d == nil || d.Assessment == nil || l == nil {
		return errors.New("write xlsx: need a document with an assessment and a localizer")
	}
	f := excelize.NewFile()
	defer f.Close()
	wb, err := newXLSXBook(f, d, l)
	if err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	sheets := []struct {
		key   string
		write func(name string) error
	}{
		{sheetSummary, wb.writeSummary},
		{sheetActions, wb.writeActions},
		{sheetFindings, wb.writeFindings},
		{sheetTransfers, wb.writeTransfers},
		{sheetInventory, wb.writeInventory},
		{sheetQuestionnaire, wb.writeQuestionnaire},
	}
	for i, s := range sheets {
		if err := wb.addSheet(i, l.T(s.key)); err != nil {
			return fmt.Errorf("write xlsx: add sheet %q: %w", l.T(s.key), err)
		}
	}
	// Open on the Actions sheet. SetActiveSheet reads every sheet, so it runs while they are
	// still empty: after streaming it would parse the whole action list again.
	f.SetActiveSheet(1)
	for _, s := range sheets {
		if err := s.write(l.T(s.key)); err != nil {
			return fmt.Errorf("write xlsx: sheet %q: %w", l.T(s.key), err)
		}
	}
	if err := f.SetDocProps(wb.docProps()); err != nil {
		return fmt.Errorf("write xlsx: document properties: %w", err)
	}
	var pkg bytes.Buffer
	if _, err := f.WriteTo(&pkg); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	part, err := wb.sheetPart(l.T(sheetActions))
	if err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	if err := xlsxAddLinks(w, pkg.Bytes(), part, wb.actionLinks); err != nil {
		return fmt.Errorf("write xlsx: action citations: %w", err)
	}
	return nil
}

// xlsxBook holds what the sheet writers share.
type xlsxBook struct {
	f        *excelize.File
	d        *Document
	l        *i18n.Localizer
	st       xlsxStyles
	findings map[string]*assessments.Finding
	regimes  map[string]assessments.Regime
	sep      string
	// actionLinks are the Actions sheet's citation links, added by xlsxAddLinks.
	actionLinks []xlsxLink
}

// xlsxStyles are the cell style ids of the workbook.
type xlsxStyles struct {
	title, header, label, text, wrap, link, date, number int
}

func newXLSXBook(f *excelize.File, d *Document, l *i18n.Localizer) (*xlsxBook, error) {
	wb := &xlsxBook{f: f, d: d, l: l, sep: l.T("xlsx.list_separator"),
		findings: make(map[string]*assessments.Finding, len(d.Assessment.Findings)),
		regimes:  make(map[string]assessments.Regime, len(d.Assessment.Regimes))}
	for i := range d.Assessment.Findings {
		wb.findings[d.Assessment.Findings[i].Key] = &d.Assessment.Findings[i]
	}
	for _, r := range d.Assessment.Regimes {
		wb.regimes[r.ID] = r
	}
	st, err := newXLSXStyles(f)
	if err != nil {
		return nil, err
	}
	wb.st = st
	return wb, nil
}

func newXLSXStyles(f *excelize.File) (xlsxStyles, error) {
	top := &excelize.Alignment{Vertical: "top"}
	wrapTop := &excelize.Alignment{Vertical: "top", WrapText: true}
	topLeft := &excelize.Alignment{Vertical: "top", Horizontal: "left"}
	dateFmt := "yyyy-mm-dd"
	var st xlsxStyles
	defs := []struct {
		id    *int
		style *excelize.Style
	}{
		{&st.title, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&st.header, &excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
			Fill:   excelize.Fill{Type: "pattern", Color: []string{"#D9E1F2"}, Pattern: 1},
			Border: []excelize.Border{{Type: "bottom", Color: "#808080", Style: 1}}}},
		{&st.label, &excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: wrapTop}},
		{&st.text, &excelize.Style{Alignment: top}},
		{&st.wrap, &excelize.Style{Alignment: wrapTop}},
		{&st.link, &excelize.Style{Font: &excelize.Font{Color: "#0563C1", Underline: "single"}, Alignment: wrapTop}},
		{&st.date, &excelize.Style{CustomNumFmt: &dateFmt, Alignment: topLeft}},
		{&st.number, &excelize.Style{NumFmt: 1, Alignment: topLeft}},
	}
	for _, def := range defs {
		id, err := f.NewStyle(def.style)
		if err != nil {
			return st, fmt.Errorf("style: %w", err)
		}
		*def.id = id
	}
	return st, nil
}

// addSheet names the first sheet or appends one.
func (wb *xlsxBook) addSheet(i int, name string) error {
	if i == 0 {
		return wb.f.SetSheetName(wb.f.GetSheetName(0), name)
	}
	_, err := wb.f.NewSheet(name)
	return err
}

func (wb *xlsxBook) docProps() *excelize.DocProperties {
	p := &excelize.DocProperties{
		Title:          wb.l.T("xlsx.title") + ": " + wb.d.Deployment.Name,
		Creator:        "piaflow",
		LastModifiedBy: "piaflow",
		Language:       wb.l.Lang(),
		Revision:       strconv.Itoa(wb.d.Revision),
	}
	// Dated by the assessment, not the clock; without a date excelize keeps its fixed one.
	if at := wb.d.Record.CreatedAt; !at.IsZero() {
		p.Created = at.UTC().Format(time.RFC3339)
		p.Modified = p.Created
	}
	return p
}

// xlsxStream writes one sheet row by row with an excelize StreamWriter, collecting the
// hyperlinks to add before Flush.
type xlsxStream struct {
	sw    *excelize.StreamWriter
	row   int
	links []xlsxLink
}

// xlsxLink is a hyperlink from a cell to a URL.
type xlsxLink struct{ cell, url string }

// add writes the next row.
func (s *xlsxStream) add(cells ...any) error {
	s.row++
	ref, err := excelize.CoordinatesToCellName(1, s.row)
	if err != nil {
		return err
	}
	return s.sw.SetRow(ref, cells)
}

// open starts streaming sheet name with the given column widths, freezing the first row when
// freeze is set.
func (wb *xlsxBook) open(name string, cols []xlsxColumn, freeze bool) (*xlsxStream, error) {
	sw, err := wb.f.NewStreamWriter(name)
	if err != nil {
		return nil, err
	}
	if freeze {
		panes := &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
			Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}
		if err := sw.SetPanes(panes); err != nil {
			return nil, err
		}
	}
	// excelize puts each new width before the ones already set; Excel wants them in order.
	for i := len(cols) - 1; i >= 0; i-- {
		if err := sw.SetColWidth(i+1, i+1, cols[i].width); err != nil {
			return nil, err
		}
	}
	return &xlsxStream{sw: sw}, nil
}

// close adds the collected hyperlinks and ends the sheet.
func (wb *xlsxBook) close(name string, s *xlsxStream) error {
	for _, l := range s.links {
		url := l.url
		if err := wb.f.SetCellHyperLink(name, l.cell, url, "External", excelize.HyperlinkOpts{Tooltip: &url}); err != nil {
			return fmt.Errorf("hyperlink %s: %w", l.cell, err)
		}
	}
	return s.sw.Flush()
}

// header is the header row of cols.
func (wb *xlsxBook) header(cols []xlsxColumn) []any {
	out := make([]any, len(cols))
	for i, c := range cols {
		out[i] = excelize.Cell{StyleID: wb.st.header, Value: wb.l.T(c.key)}
	}
	return out
}

// text, wrap and label are string cells: excelize writes a string value as an inline string,
// so text starting with "=" stays text.
func (wb *xlsxBook) text(s string) excelize.Cell  { return xlsxStr(wb.st.text, s) }
func (wb *xlsxBook) wrap(s string) excelize.Cell  { return xlsxStr(wb.st.wrap, s) }
func (wb *xlsxBook) label(s string) excelize.Cell { return xlsxStr(wb.st.label, s) }

// xlsxStr is a string cell, a styled blank one for "".
func xlsxStr(style int, s string) excelize.Cell {
	if s == "" {
		return excelize.Cell{StyleID: style}
	}
	return excelize.Cell{StyleID: style, Value: s}
}

func (wb *xlsxBook) number(n int) excelize.Cell {
	return excelize.Cell{StyleID: wb.st.number, Value: n}
}

// date is a date cell for a YYYY-MM-DD string, empty for "", text for anything else.
func (wb *xlsxBook) date(s string) excelize.Cell {
	if s == "" {
		return excelize.Cell{StyleID: wb.st.date}
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return wb.text(s)
	}
	return excelize.Cell{StyleID: wb.st.date, Value: t}
}

// link is a cell showing text that links to url, recorded on s for close; only http(s) URLs
// become links.
func (wb *xlsxBook) link(s *xlsxStream, col int, text, url string) excelize.Cell {
	if !strings.HasPrefix(url, "https://") && !strings.HasPrefix(url, "http://") {
		return wb.wrap(text)
	}
	if text == "" {
		text = url
	}
	ref, _ := excelize.CoordinatesToCellName(col+1, s.row+1)
	s.links = append(s.links, xlsxLink{ref, url})
	return excelize.Cell{StyleID: wb.st.link, Value: text}
}

func (wb *xlsxBook) yesNo(b bool) string {
	if b {
		return wb.l.T("xlsx.yes")
	}
	return wb.l.T("xlsx.no")
}

// enum localises value of a vocabulary.
func (wb *xlsxBook) enum(vocabulary, value string) string {
	if value == "" {
		return ""
	}
	return wb.l.Or("enum."+vocabulary+"."+value, value)
}

// enums localises and joins values of a vocabulary.
func (wb *xlsxBook) enums(vocabulary string, values []string) string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = wb.enum(vocabulary, v)
	}
	return strings.Join(out, wb.sep)
}

// regime is a regime's short name (GDPR, PIPL), its id when the assessment does not name it.
// regime names a regime for a reader: its law's name in the workbook's language ("China
// PIPL", 《个人信息保护法》), or the engine's short name for a regime the catalogue lacks.
func (wb *xlsxBook) regime(id string) string {
	if wb.l.Has("law." + id) {
		return wb.l.Law(id)
	}
	if r, ok := wb.regimes[id]; ok && r.Short != "" {
		return r.Short
	}
	return id
}

func (wb *xlsxBook) status(code string) string { return wb.l.Or("status."+code, code) }

// xlsxCol is the letter of the zero-based column i.
func xlsxCol(i int) string {
	name, _ := excelize.ColumnNumberToName(i + 1)
	return name
}

// xlsxRange is the range from column c0 of row r0 to column c1 of row r1 (zero-based columns).
func xlsxRange(c0, r0, c1, r1 int) string {
	return xlsxCol(c0) + strconv.Itoa(r0) + ":" + xlsxCol(c1) + strconv.Itoa(r1)
}

// xlsxQuote quotes s as a string literal of an Excel formula.
func xlsxQuote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// writeSummary writes the label / value overview of the assessment.
func (wb *xlsxBook) writeSummary(name string) error {
	s, err := wb.open(name, []xlsxColumn{{"", 34}, {"", 80}}, false)
	if err != nil {
		return err
	}
	if err := s.add(excelize.Cell{StyleID: wb.st.title, Value: wb.l.T("xlsx.title")}); err != nil {
		return err
	}
	s.row++
	for _, kv := range wb.summaryPairs() {
		if err := s.add(wb.label(wb.l.T(kv[0])), wb.wrap(kv[1])); err != nil {
			return err
		}
	}
	if err := wb.summaryCounts(s); err != nil {
		return err
	}
	return wb.close(name, s)
}

// summaryPairs are the catalogue keys and values of the summary's first block.
func (wb *xlsxBook) summaryPairs() [][2]string {
	d, rec, a, l := wb.d, wb.d.Record, wb.d.Assessment, wb.l
	id := ""
	if rec.ID != 0 {
		id = strconv.FormatUint(rec.ID, 10)
	}
	assessed := ""
	if !rec.CreatedAt.IsZero() {
		assessed = rec.CreatedAt.UTC().Format("2006-01-02 15:04")
	}
	reviewedAt := ""
	if rec.ReviewedAt != nil {
		reviewedAt = rec.ReviewedAt.UTC().Format("2006-01-02 15:04")
	}
	regimes := make([]string, len(a.Regimes))
	for i, r := range a.Regimes {
		regimes[i] = wb.regime(r.ID)
	}
	pairs := [][2]string{
		{"xlsx.summary.deployment", d.Deployment.Name},
		{"xlsx.summary.customer", d.Deployment.Customer},
		{"xlsx.summary.customer_country", wb.l.CountryCode(d.Deployment.CustomerCountry)},
		{"xlsx.summary.assessment_id", id},
		{"xlsx.summary.revision", strconv.Itoa(d.Revision)},
		{"xlsx.summary.assessed_at", assessed},
		{"xlsx.summary.as_of", a.AsOf},
		{"xlsx.summary.verdict", verdictText(l, d)},
		{"xlsx.summary.policy_version", a.PolicyVersion},
		{"xlsx.summary.policy_digest", a.PolicyDigest},
		{"xlsx.summary.review", reviewText(l, rec)},
		{"xlsx.summary.reviewer", rec.Reviewer},
		{"xlsx.summary.reviewed_at", reviewedAt},
		{"xlsx.summary.review_comment", rec.ReviewComment},
	}
	if len(rec.AcceptedRiskDetails) > 0 {
		// the risks legal accepted to approve, one per line with its justification
		lines := make([]string, len(rec.AcceptedRiskDetails))
		for i, r := range rec.AcceptedRiskDetails {
			lines[i] = l.T("report.label", "label", acceptedRiskTitle(l, a, r), "text", r.Justification)
		}
		pairs = append(pairs, [2]string{"xlsx.summary.accepted_risks", strings.Join(lines, "\n")})
	}
	return append(pairs,
		[2]string{"xlsx.summary.dpia", l.Or("dpia.level."+a.DPIA.Level, a.DPIA.Level)},
		[2]string{"xlsx.summary.regimes", strings.Join(regimes, wb.sep)},
	)
}

// summaryCounts writes the findings by severity and the actions by status.
func (wb *xlsxBook) summaryCounts(s *xlsxStream) error {
	sum := wb.d.Assessment.Summary
	bySeverity := []struct {
		severity string
		n        int
	}{{"blocker", sum.Blocker}, {"high", sum.High}, {"medium", sum.Medium}, {"low", sum.Low}, {"info", sum.Info}}
	s.row++
	if err := s.add(wb.label(wb.l.T("xlsx.summary.by_severity"))); err != nil {
		return err
	}
	total := 0
	for _, c := range bySeverity {
		total += c.n
		if err := s.add(wb.text(wb.enum("severity", c.severity)), wb.number(c.n)); err != nil {
			return err
		}
	}
	if err := s.add(wb.label(wb.l.T("xlsx.summary.total")), wb.number(total)); err != nil {
		return err
	}
	byStatus := map[string]int{}
	acts := wb.d.Actions
	for _, a := range acts {
		byStatus[a.Status]++
	}
	s.row++
	if err := s.add(wb.label(wb.l.T("xlsx.summary.by_status"))); err != nil {
		return err
	}
	for _, st := range piaflow.ActionStatuses() {
		if err := s.add(wb.text(wb.status(st)), wb.number(byStatus[st])); err != nil {
			return err
		}
	}
	return s.add(wb.label(wb.l.T("xlsx.summary.total")), wb.number(len(acts)))
}

// writeActions writes the action list: one row per action, a status drop-down, colours by
// severity and overdue dates, a filter and a printable page setup.
func (wb *xlsxBook) writeActions(name string) error {
	acts := wb.d.Actions
	last := len(acts) + 1
	end := max(last, 2) // the validation and formats cover at least one row
	if err := wb.f.AutoFilter(name, xlsxRange(0, 1, len(xlsxActionCols)-1, last), nil); err != nil {
		return fmt.Errorf("auto filter: %w", err)
	}
	if err := wb.printSetup(name); err != nil {
		return err
	}
	s, err := wb.open(name, xlsxActionCols, true)
	if err != nil {
		return err
	}
	if err := s.add(wb.header(xlsxActionCols)...); err != nil {
		return err
	}
	for _, a := range acts {
		if err := s.add(wb.actionRow(s, a)...); err != nil {
			return fmt.Errorf("action %d: %w", a.ID, err)
		}
	}
	if err := wb.statusValidation(name, end); err != nil {
		return err
	}
	if err := wb.actionFormats(name, end); err != nil {
		return err
	}
	// The citation links are added to the finished package: see xlsxAddLinks.
	wb.actionLinks, s.links = s.links, nil
	return wb.close(name, s)
}

// actionRow is the Actions sheet row of a.
func (wb *xlsxBook) actionRow(s *xlsxStream, a piaflow.Action) []any {
	id := excelize.Cell{StyleID: wb.st.number}
	if a.ID != 0 {
		id.Value = a.ID
	}
	finding := a.FindingID
	if f, ok := wb.findings[a.FindingKey]; ok {
		finding = wb.l.FindingTitle(*f)
	}
	row := make([]any, len(xlsxActionCols))
	row[actID] = id
	row[actFinding] = wb.wrap(finding)
	row[actAction] = wb.wrap(wb.l.Render(a.TitleMsg, a.Title))
	row[actRegime] = wb.text(wb.regime(a.Regime))
	citation, citationURL := a.Citation, a.CitationURL
	if f, ok := wb.findings[a.FindingKey]; ok {
		citation, citationURL = citeRef(wb.l, f.Regime, f.Citation), wb.l.CitationURL(f.Citation)
	}
	row[actCitation] = wb.link(s, actCitation, citation, citationURL)
	row[actSeverity] = wb.text(wb.enum("severity", a.Severity))
	row[actOwner] = wb.text(wb.enum("owner", a.Owner))
	row[actAssignee] = wb.text(a.Assignee)
	row[actDue] = wb.date(a.Due)
	row[actStatus] = wb.text(wb.status(a.Status))
	row[actComment] = wb.wrap(wb.d.Comments[a.ID])
	row[actKey] = wb.text(a.FindingKey)
	return row
}

// printSetup prints the sheet landscape, one page wide, repeating the header row. It runs
// before the stream writer starts: the writer copies the sheet properties when it opens.
func (wb *xlsxBook) printSetup(name string) error {
	fit, landscape, wide, tall := true, "landscape", 1, 0
	if err := wb.f.SetSheetProps(name, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return fmt.Errorf("sheet properties: %w", err)
	}
	if err := wb.f.SetPageLayout(name, &excelize.PageLayoutOptions{Orientation: &landscape, FitToWidth: &wide, FitToHeight: &tall}); err != nil {
		return fmt.Errorf("page layout: %w", err)
	}
	titles := &excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: "'" + strings.ReplaceAll(name, "'", "''") + "'!$1:$1", Scope: name}
	if err := wb.f.SetDefinedName(titles); err != nil {
		return fmt.Errorf("print titles: %w", err)
	}
	return nil
}

// statusValidation offers the localised statuses as a drop-down list in the Status column.
func (wb *xlsxBook) statusValidation(name string, end int) error {
	labels := make([]string, 0, 4)
	for _, st := range piaflow.ActionStatuses() {
		labels = append(labels, wb.status(st))
	}
	dv := excelize.NewDataValidation(true)
	dv.Sqref = xlsxRange(actStatus, 2, actStatus, end)
	if err := dv.SetDropList(labels); err != nil {
		return fmt.Errorf("status list: %w", err)
	}
	dv.SetError(excelize.DataValidationErrorStyleStop, wb.l.T("xlsx.validation.status_title"), wb.l.T("xlsx.validation.status"))
	if err := wb.f.AddDataValidation(name, dv); err != nil {
		return fmt.Errorf("status list: %w", err)
	}
	return nil
}

// actionFormats adds the conditional formats: an overdue due date (before today while the
// action is not done or accepted) first, then the row colour of each severity. Both are
// formulas, so they follow the user's edits.
func (wb *xlsxBook) actionFormats(name string, end int) error {
	due, status := xlsxCol(actDue), xlsxCol(actStatus)
	overdue, err := wb.f.NewConditionalStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "#FFFFFF"},
		Fill: excelize.Fill{Type: "pattern", Color: []string{"#C00000"}, Pattern: 1}})
	if err != nil {
		return fmt.Errorf("overdue style: %w", err)
	}
	closed := []string{}
	for _, s := range []string{wb.status(piaflow.ActionDone), wb.status(piaflow.ActionRiskAccepted), piaflow.ActionDone, piaflow.ActionRiskAccepted} {
		closed = append(closed, fmt.Sprintf("$%s2<>%s", status, xlsxQuote(s)))
	}
	formula := fmt.Sprintf("AND(ISNUMBER($%[1]s2),$%[1]s2<TODAY(),%[2]s)", due, strings.Join(closed, ","))
	rule := []excelize.ConditionalFormatOptions{{Type: "formula", Criteria: formula, Format: &overdue}}
	if err := wb.f.SetConditionalFormat(name, xlsxRange(actDue, 2, actDue, end), rule); err != nil {
		return fmt.Errorf("overdue format: %w", err)
	}
	rules := make([]excelize.ConditionalFormatOptions, 0, len(xlsxSeverityFills))
	for _, sf := range xlsxSeverityFills {
		style, err := wb.f.NewConditionalStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Color: []string{sf.color}, Pattern: 1}})
		if err != nil {
			return fmt.Errorf("severity style: %w", err)
		}
		criteria := fmt.Sprintf("$%s2=%s", xlsxCol(actSeverity), xlsxQuote(wb.enum("severity", sf.severity)))
		rules = append(rules, excelize.ConditionalFormatOptions{Type: "formula", Criteria: criteria, Format: &style})
	}
	if err := wb.f.SetConditionalFormat(name, xlsxRange(0, 2, len(xlsxActionCols)-1, end), rules); err != nil {
		return fmt.Errorf("severity format: %w", err)
	}
	return nil
}

// writeFindings writes every finding as the engine wrote it, with localised labels.
func (wb *xlsxBook) writeFindings(name string) error {
	findings := wb.d.Assessment.Findings
	if err := wb.f.AutoFilter(name, xlsxRange(0, 1, len(xlsxFindingCols)-1, len(findings)+1), nil); err != nil {
		return fmt.Errorf("auto filter: %w", err)
	}
	s, err := wb.open(name, xlsxFindingCols, true)
	if err != nil {
		return err
	}
	if err := s.add(wb.header(xlsxFindingCols)...); err != nil {
		return err
	}
	for _, f := range findings {
		row := []any{
			wb.text(f.Key), wb.text(f.ID), wb.text(wb.regime(f.Regime)), wb.text(wb.enum("severity", f.Severity)),
			wb.text(wb.enum("kind", f.Kind)), wb.wrap(wb.l.FindingTitle(f)), wb.wrap(wb.l.FindingDetail(f)),
			wb.link(s, 7, citeRef(wb.l, f.Regime, f.Citation), wb.l.CitationURL(f.Citation)), wb.wrap(wb.l.CitationURL(f.Citation)), wb.wrap(strings.Join(f.Fields, "\n")),
			wb.wrap(wb.l.ActionTitle(f)), wb.text(wb.enum("owner", f.Action.Owner)), wb.date(f.Action.Due),
		}
		if err := s.add(row...); err != nil {
			return fmt.Errorf("finding %s: %w", f.Key, err)
		}
	}
	return wb.close(name, s)
}

// writeTransfers writes the cross-border flows, then the data-localisation requirements under
// their own heading.
func (wb *xlsxBook) writeTransfers(name string) error {
	s, err := wb.open(name, xlsxTransferCols, true)
	if err != nil {
		return err
	}
	if err := s.add(wb.header(xlsxTransferCols)...); err != nil {
		return err
	}
	for _, t := range wb.d.Assessment.Transfers {
		row := []any{
			wb.text(wb.l.CountryCode(t.From)), wb.text(wb.l.CountryCode(t.To)), wb.wrap(t.Activity), wb.text(wb.regime(t.Regime)),
			wb.wrap(wb.enum("verdict", t.Verdict)), wb.wrap(wb.enums("mechanism", t.Mechanisms)),
			wb.wrap(wb.l.GivenMechanism(t.Mechanism)), wb.text(wb.yesNo(t.Satisfied)), wb.wrap(t.Recipient + onwardHop(wb.l, t.Hop)),
			wb.text(wb.enum("access", t.Access)), wb.wrap(wb.l.TransferWhy(t)), wb.link(s, 11, citeRef(wb.l, t.Regime, t.Citation), wb.l.CitationURL(t.Citation)),
		}
		if err := s.add(row...); err != nil {
			return err
		}
	}
	if loc := wb.d.Assessment.Localisation; len(loc) > 0 {
		s.row++
		if err := s.add(wb.label(wb.l.T("xlsx.localisation.heading"))); err != nil {
			return err
		}
		if err := s.add(wb.header(xlsxLocalisationCols)...); err != nil {
			return err
		}
		for _, lc := range loc {
			row := []any{
				wb.text(wb.l.CountryCode(lc.Country)), wb.text(wb.regime(lc.Regime)), wb.wrap(wb.l.Requirement(lc)),
				wb.text(wb.yesNo(lc.Satisfied)), wb.wrap(strings.Join(lc.Activities, "\n")),
				wb.wrap(strings.Join(wb.l.LocalisationProblems(lc), "\n")), wb.link(s, 6, citeRef(wb.l, lc.Regime, lc.Citation), wb.l.CitationURL(lc.Citation)),
			}
			if err := s.add(row...); err != nil {
				return err
			}
		}
	}
	return wb.close(name, s)
}

// writeInventory writes one row per activity and data-subject group.
func (wb *xlsxBook) writeInventory(name string) error {
	s, err := wb.open(name, xlsxInventoryCols, true)
	if err != nil {
		return err
	}
	if err := s.add(wb.header(xlsxInventoryCols)...); err != nil {
		return err
	}
	if q := wb.d.Questionnaire; q != nil {
		for _, a := range q.Activities {
			for _, ds := range a.DataSubjects {
				if err := s.add(wb.inventoryRow(a, ds)...); err != nil {
					return err
				}
			}
		}
	}
	return wb.close(name, s)
}

func (wb *xlsxBook) inventoryRow(a assessments.Activity, ds assessments.DataSubject) []any {
	retention := excelize.Cell{StyleID: wb.st.number}
	if a.RetentionDays != nil {
		retention.Value = *a.RetentionDays
	}
	return []any{
		wb.wrap(a.Name), wb.wrap(strings.Join(a.Purposes, "\n")), wb.text(wb.enum("legal_basis", a.LegalBasis)),
		wb.text(wb.enum("subject_type", ds.Type)), wb.wrap(countryList(wb.l, ds.Countries)), wb.number(ds.Count),
		wb.text(wb.yesNo(ds.Vulnerable)), wb.wrap(wb.enums("data_category", a.DataCategories)), retention,
	}
}

// writeQuestionnaire writes every answer of the questionnaire as a field path and its value.
func (wb *xlsxBook) writeQuestionnaire(name string) error {
	s, err := wb.open(name, xlsxQuestionnaireCols, true)
	if err != nil {
		return err
	}
	if err := s.add(wb.header(xlsxQuestionnaireCols)...); err != nil {
		return err
	}
	if wb.d.Questionnaire != nil {
		ans, err := newAnswers(wb.d.Questionnaire)
		if err != nil {
			return err
		}
		for _, lf := range ans.leaves() {
			if err := s.add(wb.text(lf[0]), wb.wrap(lf[1])); err != nil {
				return err
			}
		}
	}
	return wb.close(name, s)
}

// sheetPart is the package part of sheet name, e.g. xl/worksheets/sheet2.xml.
func (wb *xlsxBook) sheetPart(name string) (string, error) {
	for id, n := range wb.f.GetSheetMap() {
		if n == name {
			return "xl/worksheets/sheet" + strconv.Itoa(id) + ".xml", nil
		}
	}
	return "", fmt.Errorf("no sheet %q", name)
}

// xlsxRelsNS and xlsxHyperlinkRel are the relationship namespace and the type of a hyperlink.
const (
	xlsxRelsNS       = "http://schemas.openxmlformats.org/package/2006/relationships"
	xlsxHyperlinkRel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
)

// xlsxAddLinks copies the workbook package pkg to w with links added to the worksheet part
// sheet: the same <hyperlink> elements and relationships SetCellHyperLink writes. It exists
// for speed: SetCellHyperLink scans all of the sheet's relationships on every call, so the
// 10,000 citation links of a 10,000-action list took 1.8 s; here they take one pass. The
// parts are written in name order, so the same workbook gives the same bytes.
func xlsxAddLinks(w io.Writer, pkg []byte, sheet string, links []xlsxLink) error {
	zr, err := zip.NewReader(bytes.NewReader(pkg), int64(len(pkg)))
	if err != nil {
		return err
	}
	rels := path.Join(path.Dir(sheet), "_rels", path.Base(sheet)+".rels")
	files := slices.Clone(zr.File)
	slices.SortFunc(files, func(a, b *zip.File) int { return strings.Compare(a.Name, b.Name) })
	zw := zip.NewWriter(w)
	for _, zf := range files {
		if zf.Name == rels && len(links) > 0 {
			return fmt.Errorf("%s already has relationships", sheet)
		}
		if zf.Name == sheet && len(links) > 0 {
			err = xlsxRewritePart(zw, zf, func(xml []byte) ([]byte, error) { return xlsxInsertLinks(xml, links) })
		} else {
			err = xlsxCopyPart(zw, zf)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", zf.Name, err)
		}
	}
	if len(links) > 0 {
		part, err := zw.Create(rels)
		if err != nil {
			return err
		}
		if _, err := part.Write(xlsxLinkRels(links)); err != nil {
			return err
		}
	}
	return zw.Close()
}

// xlsxCopyPart copies a part as it is compressed.
func xlsxCopyPart(zw *zip.Writer, zf *zip.File) error {
	raw, err := zf.OpenRaw()
	if err != nil {
		return err
	}
	dst, err := zw.CreateRaw(&zf.FileHeader)
	if err != nil {
		return err
	}
	_, err = io.Copy(dst, raw)
	return err
}

// xlsxRewritePart writes a part changed by edit.
func xlsxRewritePart(zw *zip.Writer, zf *zip.File, edit func([]byte) ([]byte, error)) error {
	rc, err := zf.Open()
	if err != nil {
		return err
	}
	data, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		return err
	}
	if data, err = edit(data); err != nil {
		return err
	}
	dst, err := zw.CreateHeader(&zip.FileHeader{Name: zf.Name, Method: zip.Deflate})
	if err != nil {
		return err
	}
	_, err = dst.Write(data)
	return err
}

// xlsxLinkFollowers are the worksheet elements that may follow <hyperlinks>, in schema order.
var xlsxLinkFollowers = []string{"<printOptions", "<pageMargins", "<pageSetup", "<headerFooter", "<rowBreaks",
	"<colBreaks", "<customProperties", "<cellWatches", "<ignoredErrors", "<smartTags", "<drawing", "<legacyDrawing",
	"<legacyDrawingHF", "<drawingHF", "<picture", "<oleObjects", "<controls", "<webPublishItems", "<tableParts",
	"<extLst", "</worksheet>"}

// xlsxInsertLinks adds a <hyperlinks> element, links i pointing at relationship rId<i+1>, to
// a worksheet that has none, at its place in the schema order.
func xlsxInsertLinks(sheet []byte, links []xlsxLink) ([]byte, error) {
	end := bytes.Index(sheet, []byte("</sheetData>"))
	if end < 0 || bytes.Contains(sheet[end:], []byte("<hyperlinks")) || !bytes.Contains(sheet[:end], []byte(`xmlns:r="`)) {
		return nil, errors.New("unexpected worksheet layout")
	}
	at := -1
	for _, tag := range xlsxLinkFollowers {
		if i := bytes.Index(sheet[end:], []byte(tag)); i >= 0 && (at < 0 || end+i < at) {
			at = end + i
		}
	}
	if at < 0 {
		return nil, errors.New("unexpected worksheet layout")
	}
	var b bytes.Buffer
	b.Grow(len(sheet) + 80*len(links))
	b.Write(sheet[:at])
	b.WriteString("<hyperlinks>")
	for i, l := range links {
		b.WriteString(`<hyperlink ref="` + l.cell + `" r:id="rId` + strconv.Itoa(i+1) + `" tooltip="`)
		xlsxAttr(&b, l.url)
		b.WriteString(`"/>`)
	}
	b.WriteString("</hyperlinks>")
	b.Write(sheet[at:])
	return b.Bytes(), nil
}

// xlsxLinkRels is the relationships part for links: relationship rId<i+1> is link i's URL.
func xlsxLinkRels(links []xlsxLink) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n")
	b.WriteString(`<Relationships xmlns="` + xlsxRelsNS + `">`)
	for i, l := range links {
		b.WriteString(`<Relationship Id="rId` + strconv.Itoa(i+1) + `" Type="` + xlsxHyperlinkRel + `" Target="`)
		xlsxAttr(&b, l.url)
		b.WriteString(`" TargetMode="External"/>`)
	}
	b.WriteString(`</Relationships>`)
	return b.Bytes()
}

// xlsxAttr writes s escaped for an XML attribute value.
func xlsxAttr(b *bytes.Buffer, s string) { _ = xml.EscapeText(b, []byte(s)) }
