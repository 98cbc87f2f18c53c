//go:build !linux

package lowprio

// supported: only Linux gives threads priorities of their own; elsewhere Do runs inline.
const supported = false

func lower(int) {}
