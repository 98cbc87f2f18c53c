package piaflow

import "testing"

// TestServeSlots: the server's default slots leave a CPU to other requests (a health check, a
// page) whenever there is more than one, and never go below one.
func TestServeSlots(t *testing.T) {
	tests := []struct{ cpus, eval, render int }{
		{1, 1, 1},
		{2, 1, 1},
		{3, 2, 2},
		{4, 3, 2},
		{16, 15, DefaultRenderSlots},
	}
	for _, tt := range tests {
		if got := ServeEvalSlots(tt.cpus); got != tt.eval {
			t.Errorf("ServeEvalSlots(%d) = %d, want %d", tt.cpus, got, tt.eval)
		}
		if got := ServeRenderSlots(tt.cpus); got != tt.render {
			t.Errorf("ServeRenderSlots(%d) = %d, want %d", tt.cpus, got, tt.render)
		}
	}
}
