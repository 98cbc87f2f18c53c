package reports

import (
	"github.com/xuri/excelize/v2"
)

var _ = excelize.NewFile
