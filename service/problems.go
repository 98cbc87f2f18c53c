package service

import (
	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
)

// fieldProblem is a problem of an input field whose message is the validation message code
// (assessments.ProblemTexts) with its arguments given as name, value pairs: its English text
// and the code, so that package i18n renders it in the reader's language.
func fieldProblem(field, problem, code string, args ...string) piaflow.FieldProblem {
	m := assessments.Msg{Code: code}
	if len(args) > 1 {
		m.Args = make(map[string]string, len(args)/2)
		for i := 0; i+1 < len(args); i += 2 {
			m.Args[args[i]] = args[i+1]
		}
	}
	return piaflow.FieldProblem{Field: field, Code: problem, Message: m.English(), Text: code, Args: m.Args}
}
