package reports

import (
	"github.com/piaflow/piaflow/i18n"
)

// problemSep joins problems on one line: "; " in English, "；" in Chinese.
func problemSep(l *i18n.Localizer) string {
	if l.Lang() == i18n.SimplifiedChinese {
		return "；"
	}
	return "; "
}
