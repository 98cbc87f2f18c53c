package policies

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Uncertain is one place in the policy library a lawyer must still confirm: a rule or a data
// entry marked "confirm", a citation marked secondary, or a text that says it needs confirming.
type Uncertain struct {
	// Kind is "rule" or "data".
	Kind string `json:"kind"`
	// File is the file holding it (embedded files as policies/<path>, company files under the
	// directory given with --policies) and Line the line where it starts.
	File string `json:"file"`
	Line int    `json:"line"`
	// Path locates it: the rule's id, or the JSON path of the entry in a data file (e.g.
	// transfer.tiers[3], notes[2]; "" for the whole file).
	Path string `json:"path"`
	// Marker says why it is listed:
	//   confirm    the entry's "confirm" field, or the rule's METADATA custom.confirm (or
	//              custom.needs_review), says what to check;
	//   secondary  a citation marked "secondary": true (not the official text);
	//   text       a text (a note, a rule's description) says it needs confirming — the
	//              fallback for entries not marked yet.
	Marker string `json:"marker"`
	// Text is what to check: the confirm text, the secondary citation's reference and URL, or
	// the text that says so.
	Text string `json:"text"`
}

// Markers of Uncertain.
const (
	MarkConfirm   = "confirm"
	MarkSecondary = "secondary"
	MarkText      = "text"
)

// needsConfirming matches the words with which the library's texts say that something is not
// confirmed yet ("…; confirm", "should be confirmed", "secondary sources", …), and not the
// actions that ask a user to confirm a fact about their deployment.
var needsConfirming = regexp.MustCompile(`(?i)(needs? (legal |a lawyer's )?confirmation|to be confirmed|not (yet )?(been )?(confirmed|verified)|could not be (confirmed|verified)|\bunconfirmed|\bunverified|(should|must) (still )?be (confirmed|verified)|should be checked|\bto confirm\b|should confirm|confirm(ed)? against|[;:,(]\s*confirm\b|confirm with counsel|secondary (sources?|sites?|summary|summaries|copy|copies))`)

// Uncertain lists every rule and data entry of the library (company files included) that a
// lawyer must still confirm, by file and position. It reads whatever the data files hold, in
// any JSON layout: an object with a non-empty "confirm" member, a citation object with
// "secondary": true, or a string that says it needs confirming.
func (e *Engine) Uncertain() ([]Uncertain, error) {
	var out []Uncertain
	for _, r := range e.rules {
		file, line := e.displayLocation(r.Location)
		switch {
		case r.Confirm != "":
			out = append(out, Uncertain{Kind: "rule", File: file, Line: line, Path: r.ID, Marker: MarkConfirm, Text: r.Confirm})
		case needsConfirming.MatchString(r.Title + "\n" + r.Description):
			out = append(out, Uncertain{Kind: "rule", File: file, Line: line, Path: r.ID, Marker: MarkText, Text: strings.TrimSpace(r.Title + ". " + r.Description)})
		}
	}
	for _, s := range e.dataFiles {
		entries, err := uncertainData(s.body)
		if err != nil {
			return nil, fmt.Errorf("uncertain entries: %s: %w", s.name, err)
		}
		file, _ := e.displayLocation(s.name)
		for i := range entries {
			entries[i].File = file
		}
		out = append(out, entries...)
	}
	slices.SortStableFunc(out, func(a, b Uncertain) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Path, b.Path), cmp.Compare(a.Marker, b.Marker))
	})
	return out, nil
}

// displayLocation turns a bundle name with an optional ":line" (rego/…, data/…, custom/…) into
// the file a person opens and the line.
func (e *Engine) displayLocation(loc string) (string, int) {
	name, line := loc, 0
	if i := strings.LastIndexByte(loc, ':'); i > 0 {
		if n, err := strconv.Atoi(loc[i+1:]); err == nil {
			name, line = loc[:i], n
		}
	}
	if rel, ok := strings.CutPrefix(name, "custom/"); ok && e.extraDir != "" {
		return filepath.Join(e.extraDir, filepath.FromSlash(rel)), line
	}
	return "policies/" + name, line
}

// uncertainData lists the uncertain entries of one JSON data file (without File).
func uncertainData(body []byte) ([]Uncertain, error) {
	w := &dataWalker{dec: json.NewDecoder(bytes.NewReader(body)), body: body}
	w.dec.UseNumber()
	if _, err := w.value(""); err != nil {
		return nil, err
	}
	if _, err := w.dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("data after the JSON value")
	}
	return w.out, nil
}

// dataWalker reads a JSON document token by token, keeping the path and the line of each value.
type dataWalker struct {
	dec  *json.Decoder
	body []byte
	out  []Uncertain
}

// line is the line of the byte before the decoder's position (the end of the last token).
func (w *dataWalker) line() int {
	off := min(max(int(w.dec.InputOffset())-1, 0), len(w.body))
	return bytes.Count(w.body[:off], []byte("\n")) + 1
}

// value reads the value at path and returns it when it is a scalar (nil for an object or an
// array, which report their own entries).
func (w *dataWalker) value(path string) (any, error) {
	tok, err := w.dec.Token()
	if err != nil {
		return nil, err
	}
	d, ok := tok.(json.Delim)
	if !ok {
		return tok, nil
	}
	switch d {
	case '{':
		return nil, w.object(path, w.line())
	case '[':
		for i := 0; w.dec.More(); i++ {
			p := fmt.Sprintf("%s[%d]", path, i)
			v, err := w.value(p)
			if err != nil {
				return nil, err
			}
			if s, ok := v.(string); ok && needsConfirming.MatchString(s) {
				w.out = append(w.out, Uncertain{Kind: "data", Line: w.line(), Path: p, Marker: MarkText, Text: s})
			}
		}
		_, err := w.dec.Token() // ]
		return nil, err
	}
	return nil, fmt.Errorf("unexpected %v", d)
}

// object reads the members of an object at path that starts on line: a "confirm" member or
// "secondary": true makes it an entry; otherwise its strings that say they need confirming are.
func (w *dataWalker) object(path string, line int) error {
	var confirm, ref, url string
	var secondary bool
	var texts []Uncertain
	for w.dec.More() {
		tok, err := w.dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		p := key
		if path != "" {
			p = path + "." + key
		}
		v, err := w.value(p)
		if err != nil {
			return err
		}
		s, _ := v.(string)
		switch key {
		case "confirm":
			if b, ok := v.(bool); ok && b {
				s = "(marked confirm)"
			}
			confirm = strings.TrimSpace(s)
		case "secondary":
			secondary = v == true
		case "ref":
			ref = s
		case "url":
			url = s
		default:
			if needsConfirming.MatchString(s) {
				texts = append(texts, Uncertain{Kind: "data", Line: w.line(), Path: p, Marker: MarkText, Text: s})
			}
		}
	}
	if _, err := w.dec.Token(); err != nil { // }
		return err
	}
	if confirm != "" {
		w.out = append(w.out, Uncertain{Kind: "data", Line: line, Path: path, Marker: MarkConfirm, Text: confirm})
	}
	if secondary {
		w.out = append(w.out, Uncertain{Kind: "data", Line: line, Path: path, Marker: MarkSecondary, Text: strings.TrimSpace(ref + " — " + url)})
	}
	if confirm == "" && !secondary {
		w.out = append(w.out, texts...)
	}
	return nil
}
