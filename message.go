package piaflow

// Message is a text of the policies as a message id and its parameters (docs/messages.md): the
// id names a catalogue entry (msg.<id>, or the rule catalogue's rule.<ID>.title|action… for an
// id that starts with "rule."), the English text beside it is its English rendering. Any
// client renders it in any language (i18n.Localizer.Message).
type Message struct {
	ID     string         `json:"id"`
	Params map[string]any `json:"params"`
}
