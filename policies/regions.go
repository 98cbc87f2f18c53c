package policies

import (
	"encoding/json"
	"fmt"
	"sort"
	"sync"
)

// RegionCatalogue maps cloud providers' region names to the country of their data centres
// (policies/data/cloud_regions.json), so engineers can answer in the terms they know.
type RegionCatalogue struct {
	LastReviewed string                     `json:"last_reviewed"`
	Note         string                     `json:"note"`
	Providers    map[string]ProviderRegions `json:"providers"`
}

// ProviderRegions is one provider's region list.
type ProviderRegions struct {
	Name    string            `json:"name"`
	Source  string            `json:"source"`
	Regions map[string]string `json:"regions"`
}

var loadRegions = sync.OnceValues(func() (*RegionCatalogue, error) {
	b, err := bundleFS.ReadFile("data/cloud_regions.json")
	if err != nil {
		return nil, fmt.Errorf("read region catalogue: %w", err)
	}
	var c RegionCatalogue
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("decode region catalogue: %w", err)
	}
	return &c, nil
})

// Regions returns the embedded cloud region catalogue. It is parsed once and must not be modified.
func Regions() (*RegionCatalogue, error) { return loadRegions() }

// Lookup returns the country of provider's region. catalogued reports whether the provider has a
// region list at all (on_premises and other do not).
func (c *RegionCatalogue) Lookup(provider, region string) (country string, found, catalogued bool) {
	p, ok := c.Providers[provider]
	if !ok {
		return "", false, false
	}
	country, found = p.Regions[region]
	return country, found, true
}

// RegionNames returns a provider's region names, sorted.
func (c *RegionCatalogue) RegionNames(provider string) []string {
	p := c.Providers[provider]
	names := make([]string, 0, len(p.Regions))
	for r := range p.Regions {
		names = append(names, r)
	}
	sort.Strings(names)
	return names
}
