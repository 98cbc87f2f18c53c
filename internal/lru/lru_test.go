package lru

import "testing"

// TestBytes: the cache drops the least recently used entries to stay within its bytes, and
// keeps no entry larger than a quarter of them.
func TestBytes(t *testing.T) {
	c := New(100)
	c.Put("a", make([]byte, 25))
	c.Put("b", make([]byte, 25))
	c.Put("c", make([]byte, 25))
	c.Get("a")
	c.Put("d", make([]byte, 25))
	c.Put("e", make([]byte, 25)) // drops b, the least recently used
	if _, ok := c.Get("b"); ok {
		t.Error("b kept")
	}
	for _, k := range []string{"a", "c", "d", "e"} {
		if _, ok := c.Get(k); !ok {
			t.Errorf("%s dropped", k)
		}
	}
	c.Put("big", make([]byte, 26))
	if _, ok := c.Get("big"); ok || c.Used() != 100 {
		t.Errorf("an entry over a quarter of the cache: kept %v, %d bytes", ok, c.Used())
	}
	c.Put("a", make([]byte, 10)) // replaces a
	if c.Used() != 85 {
		t.Errorf("after replacing a: %d bytes, want 85", c.Used())
	}
	z := New(0)
	z.Put("x", []byte{1})
	if _, ok := z.Get("x"); ok {
		t.Error("a cache of 0 bytes kept an entry")
	}
}
