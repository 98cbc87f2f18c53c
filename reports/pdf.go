package reports

import (
	"github.com/jung-kurt/gofpdf"
	"golang.org/x/image/font/gofont/goregular"
)

var _ = gofpdf.New
var _ = goregular.TTF
