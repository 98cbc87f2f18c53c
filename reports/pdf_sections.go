package reports

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/i18n"
)

// Colours of severities and verdicts.
var (
	severityColours = map[string]rgb{
		"blocker": {183, 28, 28}, "high": {230, 81, 0}, "medium": {249, 168, 37}, "low": {84, 110, 122}, "info": {144, 164, 174},
	}
	verdictColours = map[string]rgb{
		assessments.VerdictReady: {46, 125, 50}, assessments.VerdictConditional: {249, 168, 37}, assessments.VerdictBlocked: {198, 40, 40},
	}
	transferColours = map[string]rgb{
		"allowed": {200, 230, 201}, "mechanism_required": {255, 236, 179}, "approval_required": {255, 224, 178},
		"localisation_required": {255, 205, 210}, "prohibited": {239, 154, 154},
	}
)

func colourPtr(m map[string]rgb, k string) *rgb {
	if c, ok := m[k]; ok {
		return &c
	}
	return nil
}

// build lays out the whole report: cover, contents, sections, appendix, then the running
// header and footer of every page.
func (lay *layout) build() {
	d, l := lay.doc, lay.l
	lay.title = l.T("report.title")
	ans, err := newAnswers(d.Questionnaire)
	if err != nil {
		ans = answers{}
	}
	lay.cover()
	lay.contents()
	lay.summary()
	lay.scope()
	lay.flows()
	lay.regimes()
	lay.dpia()
	lay.findings(ans)
	lay.riskMatrix()
	lay.actionPlan()
	lay.signOff()
	lay.appendix(ans)
	lay.fillContents()
	lay.runningHeads()
}

func (lay *layout) date() string {
	return lay.doc.Record.CreatedAt.UTC().Format("2006-01-02")
}

func (lay *layout) enum(vocab, v string) string {
	if v == "" {
		return "—"
	}
	return lay.l.Or("enum."+vocab+"."+v, v)
}

func (lay *layout) cover() {
	d, l, a := lay.doc, lay.l, lay.doc.Assessment
	lay.newPage()
	lay.rect(0, 0, pageW, 62, accent)
	lay.text(marginL, 18, "piaflow", fontBold, 12, rgb{187, 222, 251})
	lay.y = 28
	for _, line := range lay.wrap(l.T("report.title"), fontBold, 24, contentW) {
		lay.text(marginL, lay.y, line, fontBold, 24, white)
		lay.y += lineHeight(24)
	}
	lay.y = 72
	for _, line := range lay.wrap(d.Deployment.Name, fontBold, 18, contentW) {
		lay.text(marginL, lay.y, line, fontBold, 18, black)
		lay.y += lineHeight(18)
	}
	for _, line := range lay.wrap(d.Deployment.Customer+" ("+l.Country(d.Deployment.CustomerCountry)+")", fontRegular, 12, contentW) {
		lay.text(marginL, lay.y, line, fontRegular, 12, grey)
		lay.y += lineHeight(12)
	}
	lay.y += 8

	// The verdict as a traffic light.
	top := lay.y
	lay.rect(marginL, top, 22, 62, rgb{55, 71, 79})
	for i, v := range []string{assessments.VerdictBlocked, assessments.VerdictConditional, assessments.VerdictReady} {
		c := rgb{96, 125, 139}
		if a.Verdict == v {
			c = verdictColours[v]
		}
		lay.add(op{kind: opCircle, x: marginL + 11, y: top + 11 + float64(i)*20, w: 8, fill: &c})
	}
	vx := marginL + 30
	lay.text(vx, top+2, l.T("report.verdict"), fontBold, 10, grey)
	if approvedBlocked(d) {
		// the longer headline in a smaller size, wrapped
		lay.y = top + 8
		for _, line := range lay.wrap(verdictText(l, d), fontBold, 15, contentW-30) {
			lay.text(vx, lay.y, line, fontBold, 15, verdictColours[a.Verdict])
			lay.y += lineHeight(15)
		}
		lay.y = max(lay.y+1, top+20)
	} else {
		lay.text(vx, top+8, verdictText(l, d), fontBold, 22, verdictColours[a.Verdict])
		lay.y = top + 20
	}
	for _, line := range lay.wrap(l.T(verdictExplainKey(d)), fontRegular, 10, contentW-30) {
		lay.text(vx, lay.y, line, fontRegular, 10, black)
		lay.y += lineHeight(10)
	}
	lay.y = max(lay.y, top+62) + 10

	countries := d.Questionnaire.SubjectCountries()
	hosts := d.Questionnaire.HostCountries()
	rec := d.Record
	review := reviewText(l, rec)
	if rec.Reviewer != "" {
		review += " — " + rec.Reviewer
		if rec.ReviewedAt != nil {
			review += ", " + rec.ReviewedAt.UTC().Format("2006-01-02")
		}
	}
	lay.keyValues([][2]string{
		{l.T("report.customer"), d.Deployment.Customer},
		{l.T("report.customer_country"), l.CountryCode(d.Deployment.CustomerCountry)},
		{l.T("report.subject_countries"), countryList(l, countries)},
		{l.T("report.hosting_countries"), countryList(l, hosts)},
		{l.T("report.assessment"), lay.assessmentRef()},
		{l.T("report.generated_at"), d.Record.CreatedAt.UTC().Format("2006-01-02 15:04 UTC")},
		{l.T("report.law_as_of"), a.AsOf},
		{l.T("report.policy_version"), a.PolicyVersion},
		{l.T("report.policy_digest"), a.PolicyDigest},
		{l.T("report.review_state"), review},
	}, 48)
	lay.y = max(lay.y, 250)
	lay.paraAt(marginL, contentW, l.T("report.cover_note"), fontRegular, smallSize, grey)
}

func (lay *layout) assessmentRef() string {
	d := lay.doc
	if d.Record.ID == 0 {
		return lay.l.T("report.offline")
	}
	return lay.l.T("report.assessment_ref", "id", strconv.FormatUint(d.Record.ID, 10), "revision", strconv.Itoa(d.Revision))
}

// contents lays out the table of contents with empty page numbers; fillContents writes them.
func (lay *layout) contents() {
	lay.newPage()
	lay.text(marginL, lay.y, lay.l.T("report.contents"), fontBold, headingSize, accent)
	lay.y += lineHeight(headingSize) + 4
	// The entries are known before the sections are laid out: one line each.
	for i, key := range sectionKeys {
		lay.text(marginL, lay.y, lay.l.T(key), fontRegular, 11, black)
		lay.tocSlots = append(lay.tocSlots, tocSlot{page: lay.page(), index: len(lay.pages[lay.page()]), anchor: i + 1})
		lay.add(op{kind: opText, x: pageW - marginR - 10, y: lay.y + lineHeight(11)*0.74, font: fontRegular, size: 11, color: black})
		lay.add(op{kind: opLink, x: marginL, y: lay.y, w: contentW, h: lineHeight(11), anchor: i + 1})
		lay.hline(marginL, pageW-marginR, lay.y+lineHeight(11)+0.6, lightGrey, 0.15)
		lay.y += lineHeight(11) + 2.2
	}
}

// sectionKeys are the level-0 sections in order; heading() numbers anchors in the same order.
var sectionKeys = []string{
	"report.section.summary", "report.section.scope", "report.section.flows", "report.section.regimes",
	"report.section.dpia", "report.section.findings", "report.section.risks", "report.section.actions",
	"report.section.signoff", "report.section.appendix",
}

// section starts a level-0 section whose anchor is its position in sectionKeys.
func (lay *layout) section(key string) {
	lay.newPage()
	title := lay.l.T(key)
	anchor := slices.Index(sectionKeys, key) + 1
	lay.toc = append(lay.toc, tocEntry{title: title, level: 0, page: lay.page(), y: lay.y, anchor: anchor})
	lay.text(marginL, lay.y, title, fontBold, headingSize, accent)
	lay.y += lineHeight(headingSize)
	lay.hline(marginL, pageW-marginR, lay.y+0.5, accent, 0.4)
	lay.y += 4
}

// sub starts a level-1 heading (in the bookmarks, not in the contents).
func (lay *layout) sub(title string) {
	lh := lineHeight(heading2Size)
	lines := lay.wrap(title, fontBold, heading2Size, contentW)
	lay.ensure(float64(len(lines))*lh + 5*lineHeight(tableSize))
	lay.y += 1.5
	lay.toc = append(lay.toc, tocEntry{title: title, level: 1, page: lay.page(), y: lay.y, anchor: 1000 + len(lay.toc)})
	for _, line := range lines {
		lay.text(marginL, lay.y, line, fontBold, heading2Size, accent)
		lay.y += lh
	}
	lay.y += 0.8
}

func (lay *layout) fillContents() {
	for _, slot := range lay.tocSlots {
		for _, e := range lay.toc {
			if e.anchor == slot.anchor {
				o := &lay.pages[slot.page][slot.index]
				o.text = strconv.Itoa(e.page + 1)
				o.x = pageW - marginR - lay.r.width(o.text, fontRegular, o.size)
				lay.used[fontRegular] = true
			}
		}
	}
}

// runningHeads adds the header (deployment, report date) and the footer ("Page n of N") to
// every page but the cover.
func (lay *layout) runningHeads() {
	total := strconv.Itoa(len(lay.pages))
	// The head is one line: line breaks and tabs in the name are spaces there.
	head := strings.Join(strings.Fields(lay.doc.Deployment.Name), " ") + " · " + lay.l.T("report.title")
	for p := 1; p < len(lay.pages); p++ {
		cur := p
		add := func(o op) { lay.pages[cur] = append(lay.pages[cur], o) }
		line := lay.wrap(head, fontRegular, smallSize, contentW-40)[0]
		if line != head {
			line = clip(line, utf8.RuneCountInString(line)-1)
		}
		for _, o := range []op{
			{kind: opText, x: marginL, y: 14, text: line, font: fontRegular, size: smallSize, color: grey},
			{kind: opText, x: pageW - marginR - lay.r.width(lay.date(), fontRegular, smallSize), y: 14, text: lay.date(), font: fontRegular, size: smallSize, color: grey},
			{kind: opLine, x: marginL, y: 16, w: pageW - marginR, h: 16, color: lightGrey, lineWidth: 0.3},
			{kind: opLine, x: marginL, y: 281.5, w: pageW - marginR, h: 281.5, color: lightGrey, lineWidth: 0.3},
		} {
			add(o)
		}
		foot := lay.l.T("report.page_of", "page", strconv.Itoa(p+1), "total", total)
		add(op{kind: opText, x: pageW - marginR - lay.r.width(foot, fontRegular, smallSize), y: 287, text: foot, font: fontRegular, size: smallSize, color: grey})
		ver := lay.l.T("report.footer", "version", lay.doc.Assessment.PolicyVersion)
		add(op{kind: opText, x: marginL, y: 287, text: ver, font: fontRegular, size: smallSize, color: grey})
		for _, s := range []string{line, foot, ver} {
			for _, rn := range lay.r.runs(s, fontRegular) {
				lay.used[rn.font] = true
			}
		}
	}
}

func (lay *layout) summary() {
	l, d, a := lay.l, lay.doc, lay.doc.Assessment
	lay.section("report.section.summary")
	c := verdictColours[a.Verdict]
	lay.rect(marginL, lay.y, 4, 16, c)
	head := l.T("report.label", "label", l.T("report.verdict"), "text", verdictText(l, d))
	for _, line := range lay.wrap(head, fontBold, 14, contentW-7) {
		lay.text(marginL+7, lay.y, line, fontBold, 14, c)
		lay.y += lineHeight(14)
	}
	lay.paraAt(marginL+7, contentW-7, l.T(verdictExplainKey(d)), fontRegular, bodySize, black)
	lay.y += 4
	lay.acceptedRisks()

	lay.sub(l.T("report.counts"))
	sevs := []string{"blocker", "high", "medium", "low", "info"}
	counts := []int{a.Summary.Blocker, a.Summary.High, a.Summary.Medium, a.Summary.Low, a.Summary.Info}
	w := contentW / 5
	for i, s := range sevs {
		x := marginL + float64(i)*w
		lay.rect(x+1, lay.y, w-2, 16, severityColours[s])
		lay.text(x+3, lay.y+1, strconv.Itoa(counts[i]), fontBold, 16, white)
		lay.text(x+3, lay.y+10, lay.enum("severity", s), fontRegular, 8, white)
	}
	lay.y += 22

	lay.sub(l.T("report.top_blockers"))
	top := sortedFindings(a.Findings)
	var rows [][]cell
	for _, f := range top {
		if assessments.SeverityRank(f.Severity) < assessments.SeverityRank("high") || len(rows) == 8 {
			break
		}
		rows = append(rows, []cell{sevCell(lay, f.Severity), txt(l.FindingTitle(f)), txt(citeRef(l, f.Regime, f.Citation))})
	}
	if len(rows) == 0 {
		lay.para(l.T("report.no_blockers"), fontRegular, bodySize, black)
	} else {
		lay.table([]string{l.T("report.col.severity"), l.T("report.col.finding"), l.T("report.col.citation")}, []float64{0.14, 0.56, 0.30}, rows)
	}

	lay.sub(l.T("report.dpia_summary"))
	lay.para(l.Or("dpia.level."+a.DPIA.Level, a.DPIA.Level)+". "+l.Render(a.DPIA.WhyMsg, a.DPIA.Why), fontRegular, bodySize, black)
	if a.DPIA.Citation.Ref != "" {
		lay.para(citeRef(l, i18n.DPIARegime(a.DPIA), a.DPIA.Citation), fontRegular, smallSize, grey)
	}
	for _, n := range a.DPIA.National {
		name, why := l.NationalDPIA(n)
		lay.para("• "+name+" ("+l.Law(n.Regime)+"): "+why, fontRegular, bodySize, black)
	}
}

// acceptedRisks lists the blocker findings whose risk legal accepted to approve the assessment,
// each with its justification, as recorded at the approval.
func (lay *layout) acceptedRisks() {
	l, d := lay.l, lay.doc
	if len(d.Record.AcceptedRiskDetails) == 0 {
		return
	}
	lay.sub(l.T("report.accepted_risks"))
	var rows [][]cell
	for _, r := range d.Record.AcceptedRiskDetails {
		rows = append(rows, []cell{sevCell(lay, "blocker"), txt(acceptedRiskTitle(l, d.Assessment, r)), txt(r.Justification)})
	}
	lay.table([]string{l.T("report.col.severity"), l.T("report.col.finding"), l.T("report.col.justification")}, []float64{0.14, 0.46, 0.40}, rows)
	lay.y += 2
}

func sevCell(lay *layout, s string) cell {
	return cell{text: lay.enum("severity", s), font: fontBold, fg: &white, bg: colourPtr(severityColours, s)}
}

// sortedFindings orders findings by severity (highest first), then id and key.
func sortedFindings(fs []assessments.Finding) []assessments.Finding {
	out := slices.Clone(fs)
	slices.SortStableFunc(out, func(x, y assessments.Finding) int {
		return cmp.Or(assessments.SeverityRank(y.Severity)-assessments.SeverityRank(x.Severity), cmp.Compare(x.ID, y.ID), cmp.Compare(x.Key, y.Key))
	})
	return out
}

func (lay *layout) scope() {
	l, q := lay.l, lay.doc.Questionnaire
	lay.section("report.section.scope")
	dep := q.Deployment
	pairs := [][2]string{
		{l.T("report.deployment"), dep.Name},
		{l.T("report.customer"), dep.Customer + " (" + l.Country(dep.CustomerCountry) + ")"},
		{l.T("report.vendor_country"), l.CountryCode(dep.VendorCountry)},
		{l.T("report.vendor_role"), lay.enum("vendor_role", dep.VendorRole)},
		{l.T("report.sector"), lay.enum("sector", dep.Sector)},
	}
	if dep.GoLive != nil {
		pairs = append(pairs, [2]string{l.T("report.go_live"), *dep.GoLive})
	}
	lay.keyValues(pairs, 48)

	lay.sub(l.T("report.inventory"))
	var rows [][]cell
	for _, act := range q.Activities {
		var subj []string
		for _, g := range act.DataSubjects {
			s := fmt.Sprintf("%s · %s · %s", lay.enum("subject_type", g.Type), countryList(l, g.Countries), l.T("report.people", "count", strconv.Itoa(g.Count)))
			if g.Vulnerable {
				s += " · " + l.T("report.vulnerable")
			}
			subj = append(subj, s)
		}
		var cats []string
		for _, c := range act.DataCategories {
			cats = append(cats, lay.enum("data_category", c))
		}
		retention := l.T("report.not_defined")
		if act.RetentionDays != nil {
			retention = l.T("report.days", "days", strconv.Itoa(*act.RetentionDays))
		}
		name := act.Name
		if len(act.Purposes) > 0 {
			name += "\n" + strings.Join(act.Purposes, "; ")
		}
		rows = append(rows, []cell{txt(name), txt(strings.Join(subj, "\n")), txt(strings.Join(cats, ", ")), txt(lay.enum("legal_basis", act.LegalBasis)), txt(retention)})
	}
	lay.table([]string{l.T("report.col.activity"), l.T("report.col.subjects"), l.T("report.col.categories"), l.T("report.col.legal_basis"), l.T("report.col.retention")},
		[]float64{0.22, 0.28, 0.24, 0.14, 0.12}, rows)

	if len(q.Processors) > 0 {
		lay.sub(l.T("report.processors"))
		rows = nil
		for _, p := range q.Processors {
			rows = append(rows, []cell{txt(p.Name), txt(l.CountryCode(p.Country)), txt(p.Service), txt(yesNo(l, p.DPASigned)), txt(yesNo(l, p.BAASigned))})
		}
		lay.table([]string{l.T("report.col.processor"), l.T("report.col.country"), l.T("report.col.service"), l.T("report.col.dpa"), l.T("report.col.baa")},
			[]float64{0.28, 0.1, 0.34, 0.14, 0.14}, rows)
	}
}

func yesNo(l *i18n.Localizer, b bool) string {
	if b {
		return l.T("report.yes")
	}
	return l.T("report.no")
}

func (lay *layout) flows() {
	l, a, q := lay.l, lay.doc.Assessment, lay.doc.Questionnaire
	lay.section("report.section.flows")
	lay.sub(l.T("report.hosting"))
	var rows [][]cell
	for _, h := range q.Hosting {
		rows = append(rows, []cell{txt(h.Name), txt(lay.enum("provider", h.Provider)), txt(h.Region), txt(l.CountryCode(h.Country)), txt(lay.enum("hosting_role", h.Role))})
	}
	lay.table([]string{l.T("report.col.site"), l.T("report.col.provider"), l.T("report.col.region"), l.T("report.col.country"), l.T("report.col.role")},
		[]float64{0.3, 0.18, 0.2, 0.12, 0.2}, rows)

	lay.sub(l.T("report.transfers"))
	if len(a.Transfers) == 0 {
		lay.para(l.T("report.no_transfers"), fontRegular, bodySize, black)
	}
	rows = nil
	for _, t := range a.Transfers {
		mech := strings.Join(enumList(lay, "mechanism", t.Mechanisms), ", ")
		if t.Mechanism != "" {
			mech = cmp.Or(mech, "—") + "\n" + l.T("report.given", "mechanism", l.GivenMechanism(t.Mechanism))
		}
		state := l.T("report.satisfied")
		if !t.Satisfied {
			state = l.T("report.not_satisfied")
		}
		rows = append(rows, []cell{
			txt(l.Country(t.From) + " → " + l.Country(t.To)), txt(t.Activity + "\n" + t.Recipient + " (" + lay.enum("access", t.Access) + ")" + onwardHop(l, t.Hop)),
			txt(l.Law(t.Regime)), {text: lay.enum("verdict", t.Verdict) + "\n" + state, bg: colourPtr(transferColours, t.Verdict)},
			txt(cmp.Or(mech, "—")), {text: citeRef(l, t.Regime, t.Citation), url: l.CitationURL(t.Citation)},
		})
	}
	if len(rows) > 0 {
		lay.table([]string{l.T("report.col.flow"), l.T("report.col.activity_recipient"), l.T("report.col.regime"), l.T("report.col.verdict"), l.T("report.col.mechanism"), l.T("report.col.citation")},
			[]float64{0.11, 0.27, 0.1, 0.17, 0.17, 0.18}, rows)
	}
	if len(a.Localisation) > 0 {
		lay.sub(l.T("report.localisation"))
		rows = nil
		for _, loc := range a.Localisation {
			state := l.T("report.satisfied")
			bg := transferColours["allowed"]
			if !loc.Satisfied {
				state, bg = l.T("report.not_satisfied"), transferColours["localisation_required"]
			}
			rows = append(rows, []cell{txt(l.CountryCode(loc.Country)), txt(l.Law(loc.Regime)), txt(lay.enum("requirement", loc.Type) + "\n" + l.Requirement(loc)),
				{text: state + "\n" + strings.Join(l.LocalisationProblems(loc), problemSep(l)), bg: &bg}, {text: citeRef(l, loc.Regime, loc.Citation), url: l.CitationURL(loc.Citation)}})
		}
		lay.table([]string{l.T("report.col.country"), l.T("report.col.regime"), l.T("report.col.requirement"), l.T("report.col.status"), l.T("report.col.citation")},
			[]float64{0.09, 0.1, 0.38, 0.25, 0.18}, rows)
	}
}

func enumList(lay *layout, vocab string, vs []string) []string {
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		out = append(out, lay.enum(vocab, v))
	}
	return out
}

func (lay *layout) regimes() {
	l, a := lay.l, lay.doc.Assessment
	lay.section("report.section.regimes")
	if len(a.Regimes) == 0 {
		lay.para(l.T("report.no_regimes"), fontRegular, bodySize, black)
		return
	}
	var rows [][]cell
	for _, r := range a.Regimes {
		rows = append(rows, []cell{{text: l.LawShort(r.ID, r.Short), font: fontBold}, txt(l.Or("regime."+r.ID, r.Name)), txt(l.Render(r.WhyMsg, r.Why)), {text: citeRef(l, r.ID, r.Citation), url: l.CitationURL(r.Citation)}})
	}
	lay.table([]string{l.T("report.col.regime"), l.T("report.col.law"), l.T("report.col.why"), l.T("report.col.citation")}, []float64{0.12, 0.3, 0.38, 0.2}, rows)
}

// dpiaCriteria are the nine WP248 criteria in the guidelines' order.
var dpiaCriteria = []string{"evaluation_scoring", "automated_decision", "systematic_monitoring", "sensitive_data", "large_scale",
	"matching_combining", "vulnerable_subjects", "innovative_technology", "prevents_rights"}

func (lay *layout) dpia() {
	l, a := lay.l, lay.doc.Assessment
	lay.section("report.section.dpia")
	lay.text(marginL, lay.y, l.Or("dpia.level."+a.DPIA.Level, a.DPIA.Level), fontBold, 12, accent)
	lay.y += lineHeight(12)
	lay.para(l.Render(a.DPIA.WhyMsg, a.DPIA.Why), fontRegular, bodySize, black)
	if a.DPIA.Citation.Ref != "" {
		lay.para(citeRef(l, i18n.DPIARegime(a.DPIA), a.DPIA.Citation)+" — "+l.CitationURL(a.DPIA.Citation), fontRegular, smallSize, grey)
	}
	lay.y += 2
	// Where neither the GDPR nor the UK GDPR applies with controller capacity, the national
	// impact assessments lead and the WP248 screening is not shown.
	if a.DPIA.Level == "not_applicable" {
		lay.nationalDPIA()
		return
	}
	var rows [][]cell
	for i, id := range dpiaCriteria {
		var acts, why, fields []string
		for _, c := range a.DPIA.Criteria {
			if c.ID == id {
				acts = append(acts, c.Activity)
				why = append(why, l.Render(c.WhyMsg, c.Why))
				fields = append(fields, c.Fields...)
			}
		}
		met := cell{text: l.T("report.not_met"), fg: &grey}
		if len(acts) > 0 {
			c := severityColours["high"]
			met = cell{text: l.T("report.met"), font: fontBold, fg: &white, bg: &c}
		}
		rows = append(rows, []cell{txt(fmt.Sprintf("%d. %s", i+1, l.Or("dpia.criterion."+id, id))), met,
			txt(strings.Join(dedupe(acts), "\n")), txt(strings.Join(dedupe(why), "\n")), {text: strings.Join(dedupe(fields), "\n"), font: fontMono}})
	}
	lay.table([]string{l.T("report.col.criterion"), l.T("report.col.met"), l.T("report.col.activities"), l.T("report.col.why"), l.T("report.col.answers")},
		[]float64{0.25, 0.09, 0.18, 0.24, 0.24}, rows)
	if len(a.DPIA.Art35_3) > 0 {
		lay.sub(l.T("report.art35"))
		rows = nil
		for _, c := range a.DPIA.Art35_3 {
			rows = append(rows, []cell{txt(l.Or("dpia.art35."+c.Case, c.Case)), txt(c.Activity), txt(l.Render(c.WhyMsg, c.Why)), {text: strings.Join(c.Fields, "\n"), font: fontMono}})
		}
		lay.table([]string{l.T("report.col.case"), l.T("report.col.activity"), l.T("report.col.why"), l.T("report.col.answers")}, []float64{0.3, 0.18, 0.28, 0.24}, rows)
	}
	if len(a.DPIA.Lists) > 0 {
		lay.sub(l.T("report.dpia_lists"))
		rows = nil
		for _, h := range a.DPIA.Lists {
			authority, items := l.DPIAListHit(h)
			rows = append(rows, []cell{txt(authority), txt(l.Or("dpia.list_effect."+h.Effect, h.Effect)), txt(h.Activity), txt(items), {text: citeRef(l, h.Regime, h.Citation), url: l.CitationURL(h.Citation)}})
		}
		lay.table([]string{l.T("report.col.authority"), l.T("report.col.effect"), l.T("report.col.activity"), l.T("report.col.why"), l.T("report.col.citation")}, []float64{0.16, 0.1, 0.16, 0.38, 0.2}, rows)
	}
	if len(a.DPIA.ListsNotHeld) > 0 {
		lay.para(l.T("report.dpia_lists_not_held", "countries", countryList(l, a.DPIA.ListsNotHeld)), fontRegular, bodySize, black)
	}
	lay.nationalDPIA()
}

// nationalDPIA lists the national impact assessments (PIPIA, RIPD, ...), if any.
func (lay *layout) nationalDPIA() {
	l, a := lay.l, lay.doc.Assessment
	if len(a.DPIA.National) == 0 {
		return
	}
	lay.sub(l.T("report.national_dpia"))
	var rows [][]cell
	for _, n := range a.DPIA.National {
		name, why := l.NationalDPIA(n)
		rows = append(rows, []cell{txt(name), txt(l.Law(n.Regime)), txt(why), {text: citeRef(l, n.Regime, n.Citation), url: l.CitationURL(n.Citation)}})
	}
	lay.table([]string{l.T("report.col.assessment"), l.T("report.col.regime"), l.T("report.col.why"), l.T("report.col.citation")}, []float64{0.22, 0.1, 0.48, 0.2}, rows)
}

func dedupe(xs []string) []string {
	var out []string
	for _, x := range xs {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// findings lists the findings grouped by regime (in the order of the applicable regimes), then
// by severity, each with its citation, the answers that triggered it and its action.
func (lay *layout) findings(ans answers) {
	l, a := lay.l, lay.doc.Assessment
	lay.section("report.section.findings")
	if len(a.Findings) == 0 {
		lay.para(l.T("report.no_findings"), fontRegular, bodySize, black)
		return
	}
	lay.para(l.T("report.findings_intro"), fontRegular, bodySize, grey)
	lay.y += 2
	// by regime, each regime's findings by severity; regimes without findings are left out
	sorted := *a
	sorted.Findings = sortedFindings(a.Findings)
	for _, group := range sorted.ByRegime() {
		if len(group.Findings) == 0 {
			continue
		}
		r := group.Regime
		name := l.Law(r.ID)
		if group.Applicable {
			name = l.LawShort(r.ID, r.Short) + " — " + l.Or("regime."+r.ID, r.Name)
		}
		lay.sub(name)
		for _, f := range group.Findings {
			lay.finding(f, ans)
		}
	}
}

// finding draws one finding as a block: severity tag and title, detail, citation, triggering
// answers and the action.
func (lay *layout) finding(f assessments.Finding, ans answers) {
	l := lay.l
	lh := lineHeight(bodySize)
	title := l.FindingTitle(f)
	titleLines := lay.wrap(title, fontBold, 10, contentW-28)
	lay.ensure(float64(len(titleLines))*lineHeight(10) + 4*lh)
	lay.y += 1
	top := lay.y
	sev := severityColours[f.Severity]
	lay.rect(marginL, top, 24, lineHeight(10), sev)
	lay.text(marginL+1.5, top, lay.enum("severity", f.Severity), fontBold, 8.5, white)
	for _, line := range titleLines {
		lay.text(marginL+27, lay.y, line, fontBold, 10, black)
		lay.y += lineHeight(10)
	}
	lay.paraAt(marginL+27, contentW-27, f.ID+" · "+lay.enum("kind", f.Kind), fontMono, smallSize, grey)
	lay.paraAt(marginL+27, contentW-27, lay.l.FindingDetail(f), fontRegular, bodySize, black)
	// the citation, wrapped (a Chinese law's name and article can be longer than a line), each
	// line a link to the official text
	cite := l.T("report.label", "label", l.T("report.citation"), "text", citeRef(l, f.Regime, f.Citation))
	citeURL := l.CitationURL(f.Citation)
	for _, line := range lay.wrap(cite, fontRegular, bodySize, contentW-27) {
		lay.ensure(lh)
		lay.text(marginL+27, lay.y, line, fontRegular, bodySize, linkBlue)
		if citeURL != "" {
			lay.add(op{kind: opLink, x: marginL + 27, y: lay.y, w: lay.r.width(line, fontRegular, bodySize), h: lh, url: citeURL})
		}
		lay.y += lh
	}
	if citeURL != "" {
		lay.paraAt(marginL+27, contentW-27, citeURL, fontRegular, smallSize, grey)
	}
	if len(f.Fields) > 0 {
		lay.ensure(lh)
		lay.text(marginL+27, lay.y, l.T("report.triggered_by"), fontBold, bodySize, grey)
		lay.y += lh
		for _, field := range f.Fields {
			v, ok := ans.get(field)
			val := l.T("report.not_answered")
			if ok {
				val = cmp.Or(show(v), "—")
			}
			if label, ok := l.QuestionLabel(field); ok { // the question first, its path after it
				lay.paraAt(marginL+30, contentW-30, label, fontRegular, smallSize, black)
			}
			lay.paraAt(marginL+30, contentW-30, field+" = "+val, fontMono, smallSize, black)
		}
	}
	lay.ensure(lh)
	meta := []string{lay.enum("owner", f.Action.Owner)}
	if f.Action.Due != "" {
		meta = append(meta, l.T("report.due", "date", f.Action.Due))
	}
	action := l.T("report.action_line", "action", l.ActionTitle(f), "meta", strings.Join(meta, l.T("report.sep")))
	lay.paraAt(marginL+27, contentW-27, action, fontBold, bodySize, accent)
	lay.y += 1
	lay.hline(marginL+27, pageW-marginR, lay.y, lightGrey, 0.2)
	lay.y += 2
}

// riskMatrix draws the CNIL likelihood × severity grid with each feared event placed in it,
// before (●) and after (○) the measures.
func (lay *layout) riskMatrix() {
	l, a := lay.l, lay.doc.Assessment
	lay.section("report.section.risks")
	lay.para(l.T("report.risk_intro"), fontRegular, bodySize, grey)
	lay.y += 10
	const cellW, cellH = 30.0, 20.0
	x0 := marginL + 22
	y0 := lay.y
	levels := []string{l.T("report.level.1"), l.T("report.level.2"), l.T("report.level.3"), l.T("report.level.4")}
	for sev := 4; sev >= 1; sev-- {
		row := 4 - sev
		y := y0 + float64(row)*cellH
		lay.text(marginL, y+cellH/2-2, levels[sev-1], fontRegular, 7, grey)
		for lik := 1; lik <= 4; lik++ {
			x := x0 + float64(lik-1)*cellW
			lay.rect(x, y, cellW-0.8, cellH-0.8, riskColour(sev, lik))
			var marks []string
			for i, r := range a.Risks {
				if r.Severity == sev && r.Likelihood == lik {
					marks = append(marks, fmt.Sprintf("R%d●", i+1))
				}
				if r.ResidualSeverity == sev && r.ResidualLikelihood == lik {
					marks = append(marks, fmt.Sprintf("R%d○", i+1))
				}
			}
			for k, m := range marks {
				lay.text(x+2, y+2+float64(k)*4, m, fontBold, 8, black)
			}
		}
	}
	for lik := 1; lik <= 4; lik++ {
		lay.text(x0+float64(lik-1)*cellW+2, y0+4*cellH+1, levels[lik-1], fontRegular, 7, grey)
	}
	lay.text(x0, y0+4*cellH+6, l.T("report.likelihood")+" →", fontBold, 8, grey)
	lay.text(marginL, y0-5, "↑ "+l.T("report.severity"), fontBold, 8, grey)
	lay.y = y0 + 4*cellH + 14
	var rows [][]cell
	for i, r := range a.Risks {
		rows = append(rows, []cell{txt(fmt.Sprintf("R%d %s", i+1, l.Or("risk."+r.ID, r.ID))),
			txt(fmt.Sprintf("%d × %d → %d × %d", r.Severity, r.Likelihood, r.ResidualSeverity, r.ResidualLikelihood)), txt(l.Render(r.WhyMsg, r.Why)), {text: citeRef(l, "", r.Citation), url: l.CitationURL(r.Citation)}})
	}
	if len(rows) > 0 {
		lay.table([]string{l.T("report.col.risk"), l.T("report.col.score"), l.T("report.col.why"), l.T("report.col.citation")}, []float64{0.24, 0.16, 0.42, 0.18}, rows)
	}
}

func riskColour(sev, lik int) rgb {
	switch p := sev + lik; {
	case p >= 7:
		return rgb{239, 83, 80}
	case p >= 6:
		return rgb{255, 167, 38}
	case p >= 5:
		return rgb{255, 238, 88}
	default:
		return rgb{165, 214, 167}
	}
}

func (lay *layout) actionPlan() {
	l, d := lay.l, lay.doc
	lay.section("report.section.actions")
	// The report is a record of the assessment: its actions as the findings ask them, not the
	// live state of the work (that is the Excel action list's job).
	acts := d.Assessment.Actions()
	if len(acts) == 0 {
		lay.para(l.T("report.no_actions"), fontRegular, bodySize, black)
		return
	}
	byKey := map[string]assessments.Finding{}
	for _, f := range d.Assessment.Findings {
		byKey[f.Key] = f
	}
	sorted := slices.Clone(acts)
	slices.SortStableFunc(sorted, func(x, y piaflow.Action) int {
		return cmp.Or(assessments.SeverityRank(y.Severity)-assessments.SeverityRank(x.Severity), cmp.Compare(x.Due, y.Due), cmp.Compare(x.FindingKey, y.FindingKey))
	})
	var rows [][]cell
	for i, ac := range sorted {
		title := l.Render(ac.TitleMsg, ac.Title)
		if f, ok := byKey[ac.FindingKey]; ok {
			title = l.ActionTitle(f)
		}
		rows = append(rows, []cell{txt(strconv.Itoa(i + 1)), sevCell(lay, ac.Severity), txt(title + "\n" + ac.FindingID),
			txt(lay.enum("owner", ac.Owner)), txt(cmp.Or(ac.Due, "—"))})
	}
	lay.table([]string{"#", l.T("report.col.severity"), l.T("report.col.action"), l.T("report.col.owner"), l.T("report.col.due")},
		[]float64{0.05, 0.12, 0.57, 0.14, 0.12}, rows)
}

func (lay *layout) signOff() {
	l, d := lay.l, lay.doc
	lay.section("report.section.signoff")
	at := "—"
	if d.Record.ReviewedAt != nil {
		at = d.Record.ReviewedAt.UTC().Format("2006-01-02 15:04 UTC")
	}
	lay.keyValues([][2]string{
		{l.T("report.review_state"), reviewText(l, d.Record)},
		{l.T("report.approver"), cmp.Or(d.Record.Reviewer, "—")},
		{l.T("report.date"), at},
		{l.T("report.comment"), cmp.Or(d.Record.ReviewComment, "—")},
	}, 48)
	lay.y += 6
	lay.para(l.T("report.signoff_note"), fontRegular, bodySize, grey)
	lay.y += 14
	for _, label := range []string{l.T("report.signature_dpo"), l.T("report.signature_owner")} {
		lay.ensure(20)
		lay.hline(marginL, marginL+80, lay.y, black, 0.3)
		lay.hline(marginL+100, marginL+150, lay.y, black, 0.3)
		lay.text(marginL, lay.y+1, label, fontRegular, smallSize, grey)
		lay.text(marginL+100, lay.y+1, l.T("report.date"), fontRegular, smallSize, grey)
		lay.y += 20
	}
}

func (lay *layout) appendix(ans answers) {
	l := lay.l
	lay.section("report.section.appendix")
	lay.para(l.T("report.appendix_intro"), fontRegular, bodySize, grey)
	lay.y += 2
	var rows [][]cell
	for _, kv := range ans.leaves() {
		rows = append(rows, []cell{{text: kv[0], font: fontMono}, txt(cmp.Or(kv[1], "—"))})
	}
	lay.table([]string{l.T("report.col.field"), l.T("report.col.answer")}, []float64{0.45, 0.55}, rows)
}
