package assessments

// Countries lists every country the questionnaire names (stand-in; removed at merge).
func (q *Questionnaire) Countries() []string { return q.SubjectCountries() }
