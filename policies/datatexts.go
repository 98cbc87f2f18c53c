package policies

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
)

// DataTextPrefix starts the key of every person-readable text of the jurisdiction data.
const DataTextPrefix = "data."

// DataTextFields are the paths, within a jurisdiction file, of the English texts a person reads
// that the catalogues translate (docs/messages.md, "Data texts"). A "*" stands for one list
// item (named by its "id" when it has one, else by its index) or one map key. A text at any
// other path is shown as the file writes it.
var DataTextFields = []string{
	"localisation.*.text",
	"transfer.text",
	"transfer.tiers.*.text",
	"transfer.tiers.*.mechanism_filings.*.text",
	"transfer.exemptions.*.text",
	"transfer.fact_exemptions.*.text",
	"transfer.adequacy.*.note",
	"transfer.adequacy.*.recipient.text",
	"transfer.foreign_exporter.text",
	"dpo.*.name",
	"dpo.*.text",
	"dpia.*.name",
	"dpia.*.text",
	"representative.*.name",
	"representative.*.text",
	"scope.why",
	"scope.collected.why",
	"scope.vendor_establishment.why",
	"scope.vendor_establishment.duties.*.text",
	"scope.vendor_establishment.exports.why",
	"breach.deadline",
	"breach.to",
	"regulator",
	"scope.confirm",
	"scope.collected.confirm",
	"scope.vendor_establishment.confirm",
	"scope.vendor_establishment.exports.confirm",
	"localisation.*.confirm",
	"transfer.adequacy.*.confirm",
	"transfer.fact_exemptions.*.confirm",
	"transfer.foreign_exporter.confirm",
	"transfer.tiers.*.confirm",
	"transfer.tiers.*.mechanism_filings.*.confirm",
}

// DataTexts returns the English texts at DataTextFields of the embedded jurisdiction files, by
// key: "data.<file id>.<path>", the path's list items named by their id where they have one
// (data.ru_152fz.localisation.citizens_collection_2025.text,
// data.ru_152fz.transfer.tiers.rkn_notice.text), else by their index
// (data.gdpr.transfer.adequacy.0.note). The i18n package adds them to the English catalogue,
// so every language must translate every one.
func DataTexts() (map[string]string, error) {
	paths, err := fs.Glob(bundleFS, "data/jurisdictions/*.json")
	if err != nil {
		return nil, fmt.Errorf("list jurisdictions: %w", err)
	}
	out := map[string]string{}
	for _, p := range paths {
		b, err := bundleFS.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", p, err)
		}
		if err := jurisdictionTexts(b, out); err != nil {
			return nil, fmt.Errorf("%s: %w", path.Base(p), err)
		}
	}
	b, err := bundleFS.ReadFile("data/catalog.json")
	if err != nil {
		return nil, fmt.Errorf("read catalog: %w", err)
	}
	if err := catalogTexts(b, out); err != nil {
		return nil, fmt.Errorf("catalog.json: %w", err)
	}
	b, err = bundleFS.ReadFile("data/coverage.json")
	if err != nil {
		return nil, fmt.Errorf("read coverage: %w", err)
	}
	if err := coverageTexts(b, out); err != nil {
		return nil, fmt.Errorf("coverage.json: %w", err)
	}
	if err := dpiaListTexts(out); err != nil {
		return nil, err
	}
	return out, nil
}

// CatalogTextFields are the paths, within policies/data/catalog.json, of the texts a person
// reads that the catalogues translate, keyed "data.catalog.<path>": the onward-transfer notes
// (the default and each law's), which the policies quote in an onward transfer's why.
var CatalogTextFields = []string{
	"onward_transfers.default.text",
	"onward_transfers.regimes.*.text",
}

// catalogTexts adds the data texts of the catalogue file to out.
func catalogTexts(b []byte, out map[string]string) error {
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		return fmt.Errorf("decode catalog: %w", err)
	}
	return walkTexts(doc, "catalog", CatalogTextFields, out)
}

// CoverageTextFields are the paths, within policies/data/coverage.json, of the texts a person
// reads that the catalogues translate, keyed "data.coverage.<path>": what the library does not
// cover in a country it covers in part, and the note and confirm of a country without a
// territorial law (the coverage findings quote them).
var CoverageTextFields = []string{
	"partial.*.not_covered",
	"no_territorial_law.*.note",
	"no_territorial_law.*.confirm",
}

// coverageTexts adds the data texts of the coverage file to out.
func coverageTexts(b []byte, out map[string]string) error {
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		return fmt.Errorf("decode coverage: %w", err)
	}
	return walkTexts(doc, "coverage", CoverageTextFields, out)
}

// jurisdictionTexts adds the data texts of one jurisdiction file to out.
func jurisdictionTexts(b []byte, out map[string]string) error {
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		return fmt.Errorf("decode jurisdiction: %w", err)
	}
	id, _ := doc["id"].(string)
	if id == "" {
		return fmt.Errorf("jurisdiction without id")
	}
	return walkTexts(doc, id, DataTextFields, out)
}

// walkTexts adds the strings of doc at fields to out, keyed "data.<id>.<path>".
func walkTexts(doc map[string]any, id string, fields []string, out map[string]string) error {
	var walk func(v any, key, pattern []string) error
	walk = func(v any, key, pattern []string) error {
		switch x := v.(type) {
		case map[string]any:
			for k, c := range x {
				if err := walk(c, append(key, k), append(pattern, k)); err != nil {
					return err
				}
			}
		case []any:
			for i, c := range x {
				name := strconv.Itoa(i)
				if m, ok := c.(map[string]any); ok {
					if s, ok := m["id"].(string); ok && s != "" {
						name = s
					}
				}
				if err := walk(c, append(key, name), append(pattern, "*")); err != nil {
					return err
				}
			}
		case string:
			if !slices.ContainsFunc(fields, func(f string) bool { return fieldMatch(f, pattern) }) {
				return nil
			}
			k := DataTextPrefix + id + "." + strings.Join(key, ".")
			if _, dup := out[k]; dup {
				return fmt.Errorf("data text key %q defined twice", k)
			}
			out[k] = x
		}
		return nil
	}
	return walk(doc, nil, nil)
}

// fieldMatch reports whether the path pattern (a map's keys as written, a list item as "*")
// matches field, whose "*" stands for one list item or one map key (mechanism_filings' keys,
// the catalogue's regimes).
func fieldMatch(field string, pattern []string) bool {
	fs := strings.Split(field, ".")
	if len(fs) != len(pattern) {
		return false
	}
	for i, f := range fs {
		if f != "*" && f != pattern[i] {
			return false
		}
	}
	return true
}

// DPIAListTextFields are the paths, within dpia_lists.json, of the English texts a person reads
// that the catalogues translate: each list's supervisory authority and its items' texts (the
// DPIA hits quote them). Their keys are "data.dpia_lists.<list id>.<path>", e.g.
// data.dpia_lists.it_garante.items.large_scale_communications.text and
// data.dpia_lists.it_garante.authority.
var DPIAListTextFields = []string{"authority", "items.*.text"}

// dpiaListTexts adds the texts at DPIAListTextFields of the embedded dpia_lists.json to out.
func dpiaListTexts(out map[string]string) error {
	doc, err := EmbeddedDPIALists()
	if err != nil {
		return fmt.Errorf("data texts: %w", err)
	}
	add := func(k, text string) error {
		if _, dup := out[k]; dup {
			return fmt.Errorf("%s: data text key %q defined twice", dpiaListsFile, k)
		}
		out[k] = text
		return nil
	}
	for _, l := range doc.Lists {
		base := DPIAListTextKey(l.ID, "")
		if err := add(base+"authority", l.Authority); err != nil {
			return err
		}
		for _, it := range l.Items {
			if err := add(DPIAListTextKey(l.ID, it.ID), it.Text); err != nil {
				return err
			}
		}
	}
	return nil
}

// DPIAListTextKey is the data text key of the item itemID of the DPIA list listID
// (data.dpia_lists.<list>.items.<item>.text); with itemID "", the list's key prefix
// (data.dpia_lists.<list>.).
func DPIAListTextKey(listID, itemID string) string {
	base := DataTextPrefix + "dpia_lists." + listID + "."
	if itemID == "" {
		return base
	}
	return base + "items." + itemID + ".text"
}
