package i18n

import "testing"

// TestChineseNumber: article numbers in the Chinese numerals statutes use.
func TestChineseNumber(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want string
	}{
		{1, "一"}, {3, "三"}, {10, "十"}, {11, "十一"}, {20, "二十"}, {38, "三十八"}, {40, "四十"},
		{55, "五十五"}, {100, "一百"}, {101, "一百零一"}, {105, "一百零五"}, {110, "一百一十"},
		{111, "一百一十一"}, {1000, "一千"}, {1001, "一千零一"}, {1010, "一千零一十"}, {9999, "九千九百九十九"},
		{0, "0"}, {-3, "-3"}, {10000, "10000"},
	} {
		if got := chineseNumber(tc.n); got != tc.want {
			t.Errorf("chineseNumber(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}
