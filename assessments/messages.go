package assessments

import (
	"maps"
	"strings"

	"github.com/piaflow/piaflow"
)

// Msg is a validation message as data: the code of its text and the text's arguments. The
// English text is defined here (ProblemTexts); package i18n renders the same code in every
// language from its catalogue (key "validation.<code>"), so a client can show a Problem in any
// language without reading its English Message.
//
// Arguments are display values: strings are already quoted as in the English text ("XX"), paths
// are field paths. The arguments named in WordArgs are not shown as they are: each names a
// word of the catalogue ("<name>.<value>", e.g. want "object" is the text "want.object", "an
// object"), rendered with the same arguments.
type Msg struct {
	// Code is the message's id: a key of ProblemTexts.
	Code string `json:"code,omitempty"`
	// Args are the values of the text's {placeholders}, by name.
	Args map[string]string `json:"args,omitempty"`
}

// HintArgs are argument names no text shows: they tell a translation how to render another
// argument ("vocabulary" names the closed vocabulary of "allowed", so its values can be labelled
// in the reader's language).
var HintArgs = []string{"vocabulary"}

// WordArgs are the argument names whose values are words of the catalogue (Msg).
var WordArgs = []string{"want", "got", "doc"}

// newMsg is a message of code with its arguments given as name, value pairs.
func newMsg(code string, args ...string) Msg { return msgOf(code, args) }

// FieldProblem is a problem of an input field outside the questionnaire (a query parameter, a
// request field, a service input) whose message is the validation message code with its
// arguments as name, value pairs: its English text and the code, so that package i18n renders
// it in the reader's language. problem is one of the piaflow Problem codes.
func FieldProblem(field, problem, code string, args ...string) piaflow.FieldProblem {
	m := msgOf(code, args)
	return piaflow.FieldProblem{Field: field, Code: problem, Message: m.English(), Text: code, Args: m.Args}
}

// msgOf is a message of code with its arguments as name, value pairs.
func msgOf(code string, args []string) Msg {
	m := Msg{Code: code}
	if len(args) > 1 {
		m.Args = make(map[string]string, len(args)/2)
		for i := 0; i+1 < len(args); i += 2 {
			m.Args[args[i]] = args[i+1]
		}
	}
	return m
}

// Render is the message's text, its templates looked up by text (a code, "" when it has none).
// A message whose code has no text is rendered as its code, so a gap shows instead of vanishing.
func (m Msg) Render(text func(code string) string) string {
	t := text(m.Code)
	if t == "" {
		return m.Code
	}
	return fillArgs(t, m.Args, text)
}

// English is the message's English text.
func (m Msg) English() string { return m.Render(englishText) }

func englishText(code string) string { return problemTexts[code] }

// fillArgs replaces the {placeholders} of t by the arguments, words (WordArgs) by their texts.
func fillArgs(t string, args map[string]string, text func(string) string) string {
	if !strings.Contains(t, "{") {
		return t
	}
	pairs := make([]string, 0, 2*len(args))
	for name, v := range args {
		if isWordArg(name) {
			if w := text(name + "." + v); w != "" {
				v = fillArgs(w, args, func(string) string { return "" })
			}
		}
		pairs = append(pairs, "{"+name+"}", v)
	}
	return strings.NewReplacer(pairs...).Replace(t)
}

func isWordArg(name string) bool {
	for _, w := range WordArgs {
		if w == name {
			return true
		}
	}
	return false
}

// ProblemTexts returns the English texts of the validation messages and their words, by code
// (a copy). Package i18n adds them to the English catalogue as "validation.<code>" and checks
// that every other language has each, with the same placeholders.
func ProblemTexts() map[string]string { return maps.Clone(problemTexts) }

// problemTexts are the English texts of the validation messages, by code. A text's
// {placeholders} are the message's arguments.
var problemTexts = map[string]string{
	// words (WordArgs)
	"want.object":          "an object",
	"want.list":            "a list",
	"want.string":          "a string",
	"want.integer":         "a whole number",
	"want.bool":            "true or false",
	"want.boolean":         "a boolean",
	"want.number":          "a number",
	"got.string":           "the string {value}",
	"got.number":           "the number {value}",
	"got.bool":             "{value}",
	"got.list":             "a list",
	"got.object":           "an object",
	"got.other":            "{value}",
	"got.json.number":      "number",
	"got.json.string":      "string",
	"got.json.bool":        "bool",
	"got.json.array":       "array",
	"got.json.object":      "object",
	"doc.questionnaire":    "the questionnaire",
	"doc.product":          "the product",
	"doc.processor":        "the processor",
	"doc.register":         "the register",
	"doc.deployment_spec":  "the deployment spec",
	"context.product":      " (in the product {product})",
	"context.composed":     " (composed questionnaire)",
	"context.composed_ref": " (composed questionnaire; from {ref})",
	"context.override":     " (at {path} of the composed questionnaire)",
	"context.ref":          " (in {ref})",

	// reading the document
	"document.too_large":     "is {bytes} bytes: a questionnaire has at most {max}",
	"document.empty":         "is empty",
	"document.syntax":        "is not valid JSON or YAML: {error}",
	"document.several":       "holds more than one YAML document: give one questionnaire per file",
	"document.too_many":      "is value number {n}: a questionnaire holds at most {max} values (each use of a YAML alias counts)",
	"document.too_deep":      "nests deeper than {max} levels: a questionnaire's fields nest at most 6",
	"document.alias_loop":    "is a YAML alias that refers to itself",
	"document.key_type":      "has a key that is not a string",
	"document.duplicate_key": "is given twice",
	"document.surrogate":     `contains the escape {escape}, half of a UTF-16 surrogate pair without its other half`,
	"document.more":          "and {n} more problems: only the first {max} are listed",
	"document.values":        "holds {n} values once the hosting countries are filled in: a questionnaire holds at most {max} values",
	"document.stored_bytes":  "is {bytes} bytes as JSON: a questionnaire has at most {max}",

	// fields and values
	"required":                "is required",
	"nul":                     "must not contain a NUL character",
	"too_long":                "must have at most {max} characters",
	"length":                  "must have 1 to {max} characters",
	"email":                   "is not an e-mail address",
	"url.absolute":            "must be an absolute http:// or https:// URL",
	"url.userinfo":            "must not hold user information (user:password@)",
	"url.unresolved":          "its host {host} does not resolve: {error}",
	"url.refused.metadata":    "its host {host} is a cloud metadata address ({addr}): refused unless allow_private is set",
	"url.refused.loopback":    "its host {host} is a loopback address ({addr}): refused unless allow_private is set",
	"url.refused.link_local":  "its host {host} is a link-local address (cloud metadata lives there) ({addr}): refused unless allow_private is set",
	"url.refused.unspecified": "its host {host} is an unspecified address ({addr}): refused unless allow_private is set",
	"url.refused.multicast":   "its host {host} is a multicast address ({addr}): refused unless allow_private is set",
	"url.refused.self":        "its host {host} is this server's own address ({addr}): refused unless allow_private is set",
	"webhook.events":          "name at least one event type ({known})",
	"webhook.event":           "{value} is not an event type or is named twice (known: {known})",
	"change.product":          "a product change names the product and the version its deployments move to (or gives product_document)",
	"change.processor":        "a processor change names the register entry (or gives processor_document)",
	"change.deployment":       "a spec change names the deployment",
	"change.spec":             "a spec change gives the deployment's spec as proposed",
	"impact.limit":            "is {value}: an impact page assesses at most {max} deployments (follow next for the others)",
	"propagation.no_params":   "a policies propagation takes no parameters",
	"propagation.params":      "is not the parameters of a {kind} propagation: {error}",
	"diff.other_deployment":   "assessment {id} belongs to another deployment",
	"report.format":           "{value} is not pdf or xlsx",
	"report.lang":             "{value} is not a report language ({allowed})",
	"reject_comment":          "a rejection needs a comment",
	"justification":           "accepting a risk needs a justification",
	"processor.unregistered":  "{value} is not in the processor register: push it first (piaflow processor push)",
	"null":                    "is null: leave the field out or give a value",
	"type":                    "must be {want}, not {got}",
	"unknown_field":           "is not a field of {parent}",
	"unknown_field.doc":       "is not a field of {doc}",
	"too_many":                "has {n} entries: at most {max} are accepted",
	"too_few":                 "needs at least {min} entries",
	"duplicate":               "{value} is a duplicate of {first}",
	"not_in_vocabulary":       "{value} is not one of {allowed}",
	"too_small":               "must be {min} or more, not {value}",
	"character":               "contains the character {char} (character {pos}): control characters other than tab and line breaks, U+FFFE and U+FFFF are not allowed",
	"empty":                   "must not be empty",
	"country":                 "{value} is not an ISO 3166-1 alpha-2 code",
	"country.upper":           "{value} is not an ISO 3166-1 alpha-2 code (write it in upper case: {upper})",
	"country.eu":              "{value} is not an ISO 3166-1 alpha-2 code (the EU is not a country: list the member states)",
	"date":                    "{value} is not a date (YYYY-MM-DD)",
	"date.range":              "{value} is outside the years 1970 to 2200",
	"schema_version":          "{value} is not supported (this piaflow reads version {version})",
	"duplicate_name":          "{value} is a duplicate of {first} (names are compared ignoring case)",
	"region.country":          "{value} does not match {provider} region {region}, which is in {country}",
	"region.unknown":          "{value} is not a {provider} region piaflow knows: give {path}.country",
	"region.required":         "is required unless provider and region name a known cloud region",
	"processor.unknown":       "{value} is not the name of a processors[] entry",
	"export.duplicate":        "{value} is a duplicate of {first}: give one entry per country",
	"export.sensitive":        "{value} is more than subjects ({subjects}), which counts every person, sensitive included",
	"deidentification":        "describes a method, but deidentification is not pseudonymised or anonymised",
	"onward.depth":            "nests onward transfers more than {max} levels deep (the most piaflow evaluates): ask legal about the later hops",
	"mechanism.neither":       "give regime (the law, e.g. cn_pipl) or country (the exporting country, e.g. CN)",
	"mechanism.both":          "give regime or country, not both",
	"mechanism.regime":        "{value} is a duplicate of {first}: give one entry per regime",
	"mechanism.country":       "{value} is a duplicate of {first}: give one entry per country",
	"mechanism.filed_on":      "{value} is before signed_on ({signed_on})",

	// hosting checks
	"hosting.subjects":       "has {n} different subject countries: a hosting check takes at most {max}",
	"hosting.data":           "has {n} different data categories: a hosting check takes at most {max}",
	"hosting.other_exports":  "has {n} other exports: a hosting check takes at most {max}",
	"hosting.subjects_empty": "give at least one subject country",
	"hosting.host":           "give host, or provider and region",
	"hosting.count":          "{value} is not a number of people: give 1 or more, or leave count out when it is not known",

	// products, deployment specs and their composition
	"product.activity_duplicate": "{value} is a duplicate of {first} (activity names are unique across modules, ignoring case)",
	"product.module_unknown":     "{value} is not the id of a module of the product",
	"product.activity_unknown":   "{value} is not the name of an activity of the product",
	"product.hosting_unchecked":  "cannot be checked: {error}",
	"override.path":              "{error}",
	"override.reason":            "must not be empty: say why this deployment differs",
	"spec.product_name":          "names the product {value}, not {product}",
	"spec.product_version":       "names version {value} of {product}, not the version given, {version}",
	"spec.module_unknown":        "{value} is not a module of {product} (modules: {modules})",
	"spec.module_disabled":       "{value} is not an enabled module",
	"spec.activity_disabled":     "{value} is not an activity of an enabled module",
	"spec.group_missing":         "has no group of type {type} for the activity {activity} of the module {module}",
	"register.unknown":           "{value} is not in the processor register",

	// query parameters and uploads of the API
	"query.lang":     "{value} is not a language piaflow answers in: give one of {languages}",
	"query.revision": "{value} is not a revision number",
	"query.bool":     "{value} is not true or false",
	"query.page":     "{value} is not a valid {name} (limit: 1 to {max}; offset: 0 or more)",
	"query.limit":    "{value} is not a limit from 1 to {max}",
	"query.format":   "{value} is not json or yaml",
	"query.against":  "give the id of the assessment to compare with",
	"query.event_id": "{value} is not an event id",
	"query.cursor":   "{value} is not a cursor (the next of the previous page)",
	"query.version":  "{value} is not a version number",
	"query.country":  "give the customer's country (ISO 3166-1 alpha-2 code)",
	"upload.file":    "upload the action list (.xlsx) as the form field \"file\"",
	"upload.empty":   "the body is empty: send the edited action list (.xlsx)",
}
