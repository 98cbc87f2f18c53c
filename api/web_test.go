package api

import "github.com/chromedp/chromedp"

var _ = chromedp.NewContext
