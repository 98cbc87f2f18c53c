package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v5"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/internal/httpx"
)

// settingsData is the user's own settings page: where notification mail goes, in which
// language, and whether to receive it.
type settingsData struct {
	Email, Language string
	Off             bool
	Languages       []option
	// Errors are the problems of a refused form by field (email, language).
	Errors map[string][]string
}

// ErrorsFor lists the problems of field f.
func (d settingsData) ErrorsFor(f string) []string { return d.Errors[f] }

func (s *UI) settingsData(c *echo.Context, u piaflow.User) settingsData {
	langs := append([]option{{Value: "", Label: s.localizer(c).T("ui.settings.language_default")}}, languages()...)
	return settingsData{Email: u.Email, Language: u.Language, Off: u.NotificationsOff, Languages: langs, Errors: map[string][]string{}}
}

// settingsPage shows the signed-in user's notification settings.
func (s *UI) settingsPage(c *echo.Context) error {
	u := httpx.CurrentUser(c)
	v := s.newView(c, "ui.settings.title")
	v.Nav, v.Data = "settings", s.settingsData(c, u)
	return s.render(c, http.StatusOK, "settings", v)
}

// settingsForm saves them; a refused value comes back next to its field (422).
func (s *UI) settingsForm(c *echo.Context) error {
	ctx, u := c.Request().Context(), httpx.CurrentUser(c)
	email, lang, off := c.FormValue("email"), c.FormValue("language"), c.FormValue("notifications_off") == "on"
	updated, err := s.svc.UpdateNotifications(ctx, u, piaflow.NotificationSettings{Email: &email, Language: &lang, NotificationsOff: &off})
	v := s.newView(c, "ui.settings.title")
	v.Nav = "settings"
	if err != nil {
		var pe *piaflow.Error
		if !errors.As(err, &pe) || !errors.Is(err, piaflow.ErrInvalid) {
			return err
		}
		d := s.settingsData(c, u)
		d.Email, d.Language, d.Off = email, lang, off
		for _, p := range pe.Fields {
			d.Errors[p.Field] = append(d.Errors[p.Field], v.L.ProblemMessage(httpx.FieldProblem(p)))
		}
		v.Data, v.Error = d, v.T("ui.settings.refused")
		return s.render(c, http.StatusUnprocessableEntity, "settings", v)
	}
	v.Data, v.Flash = s.settingsData(c, updated), v.T("ui.settings.saved")
	return s.render(c, http.StatusOK, "settings", v)
}
