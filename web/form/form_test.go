package form

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"reflect"
	"testing"

	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/fieldpath"
	"github.com/piaflow/piaflow/i18n"
)

// TestFormRoundTrip: every example questionnaire, rendered into the wizard's inputs and posted
// back as a browser would, gives the same document: the generic form covers the whole model.
func TestFormRoundTrip(t *testing.T) {
	cats, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	ft := NewText(cats.Get(i18n.English))
	// additions.yaml holds every piaflow addition of issue 11: per-law mechanism entries, nested
	// onward transfers, scope_confirmed (named yes/no answers), an empty targeted list ("none").
	for _, name := range []string{"hospital-ehr-germany", "telehealth-us", "hr-russia-subsidiary", "logistics-china-vietnam", "additions"} {
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile("../../examples/" + name + ".yaml")
			if name == "additions" {
				raw, err = os.ReadFile("../../assessments/testdata/additions.yaml")
			}
			if err != nil {
				t.Fatal(err)
			}
			q, err := assessments.Parse(raw)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := json.Marshal(q)
			doc := DecodeDoc(string(want))
			got := map[string]any{"schema_version": doc["schema_version"]}
			for _, sec := range Sections() {
				b := NewBuilder(ft)
				f := b.Section(sec, doc)
				posted := url.Values{}
				submitted(f, posted)
				p := NewParser(posted, nil) // the inputs hold country codes
				v, ok, err := p.Section(sec)
				if err != nil {
					t.Fatal(err)
				}
				if ok {
					got[sec.ID] = v
				}
			}
			gotJSON, _ := json.Marshal(got)
			var a, b any
			json.Unmarshal(want, &a)
			json.Unmarshal(gotJSON, &b)
			if !reflect.DeepEqual(a, b) {
				t.Errorf("round trip changed the questionnaire:\nwant %s\n got %s", want, gotJSON)
			}
		})
	}
}

// submitted adds what a browser posts for a rendered field.
func submitted(f *Field, form url.Values) {
	switch f.Kind {
	case KindObject:
		for _, c := range f.Fields {
			submitted(c, form)
		}
	case KindList:
		form.Set("count:"+f.Path, fmt.Sprint(len(f.Items)))
		for _, it := range f.Items {
			for _, c := range it.Fields {
				submitted(c, form)
			}
		}
	case KindEnums:
		for _, v := range f.Values {
			form.Add(f.Path, v)
		}
	case KindBool:
		if f.Value == "true" {
			form.Set(f.Path, "true")
		}
	default:
		form.Set(f.Path, f.Value)
	}
}

func TestApplyOp(t *testing.T) {
	doc := map[string]any{"activities": []any{map[string]any{"name": "A"}, map[string]any{"name": "B", "transfers": []any{map[string]any{}}}}}
	added, err := ApplyOp(doc, "add:activities")
	if err != nil || added != "activities[2]" {
		t.Fatalf("add activity: %q %v", added, err)
	}
	if subjects, _ := fieldpath.Get(doc, "activities[2].data_subjects"); len(subjects.([]any)) != 1 {
		t.Errorf("a new activity has no data subject group to fill in: %v", doc["activities"])
	}
	if added, err = ApplyOp(doc, "add:activities[1].transfers"); err != nil || added != "activities[1].transfers[1]" {
		t.Errorf("add transfer: %q %v", added, err)
	}
	if _, err = ApplyOp(doc, "remove:activities[0]"); err != nil {
		t.Fatal(err)
	}
	if n, _ := fieldpath.Get(doc, "activities[0].name"); n != "B" {
		t.Errorf("after removing activities[0], the first is %v", n)
	}
	for _, bad := range []string{"add:activities[0]", "add:deployment", "remove:activities", "remove:activities[9]", "add:nope", "drop:activities[0]", "add:activities[0].name"} {
		if _, err := ApplyOp(doc, bad); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}
