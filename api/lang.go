package api

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v5"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/i18n"
	"github.com/piaflow/piaflow/internal/httpx"
)

// ?lang= on the endpoints that answer with the engine's texts (assessments, their diff, the
// hosting check, the impact of a change, a deployment's actions): the answer keeps every field
// it has without the parameter, its human texts rendered in the language given (i18n
// Localise*), and says so in Content-Language. Without ?lang= the answer is the engine's English,
// byte for byte as before; the *_msg objects let a client render any language itself. A problem
// answer follows ?lang= once it is read, else Accept-Language.

// langKey is the Echo context key of the language a request's ?lang= named.
const langKey = "piaflow.lang"

// langCode is the message code of an unknown ?lang= value (docs/validation-messages.md).
const langCode = "query.lang"

// maxLangEcho bounds how much of a bad ?lang= value a problem repeats.
const maxLangEcho = 40

// langOf reads ?lang=: the localizer of the language it names, or nil when the parameter is
// absent or empty (the answer stays as the engine wrote it). A value that is not one of
// i18n.Languages() (case aside) is a 400 problem naming the parameter lang, with code query.lang.
func (s *Server) langOf(c *echo.Context) (*i18n.Localizer, error) {
	v := c.QueryParam("lang")
	if v == "" {
		return nil, nil
	}
	lang, ok := i18n.ParseLang(v)
	if !ok {
		return nil, badLang(v)
	}
	c.Set(langKey, lang)
	return s.cats.Get(lang), nil
}

// badLang is the 400 problem of a ?lang= value piaflow does not speak: one error, path lang,
// code query.lang (the reports' ?lang= answers the same).
func badLang(v string) error {
	if r := []rune(v); len(r) > maxLangEcho {
		v = string(r[:maxLangEcho]) + "…"
	}
	msg := assessments.Msg{Code: langCode, Args: map[string]string{"value": strconv.Quote(v), "languages": i18n.LanguageList()}}
	return &httpx.Error{Status: http.StatusBadRequest, Detail: "the input is invalid: see errors",
		Errors: []assessments.Problem{{Path: "lang", Message: msg.English(), Msg: msg}}}
}

// sendLocalised answers v as JSON, with contentLanguage.
func sendLocalised(c *echo.Context, status int, v any) error {
	contentLanguage(c)
	return c.JSON(status, v)
}

// contentLanguage sets Content-Language when the request named a language (?lang=).
func contentLanguage(c *echo.Context) {
	if lang, ok := c.Get(langKey).(string); ok {
		c.Response().Header().Set("Content-Language", lang)
	}
}

// problemLocalizer is the localizer of a problem answer: the request's ?lang= when a handler
// read a valid one, else the language Accept-Language picks.
func (s *Server) problemLocalizer(c *echo.Context) *i18n.Localizer {
	if lang, ok := c.Get(langKey).(string); ok {
		return s.cats.Get(lang)
	}
	return s.cats.Get(i18n.Match(c.Request().Header.Get("Accept-Language")))
}

// localiseAction is a deployment's action with its title in l's language (a copy).
func localiseAction(l *i18n.Localizer, a piaflow.Action) piaflow.Action {
	a.Title = l.Render(a.TitleMsg, a.Title)
	return a
}

// localiseImpact is an impact page with the titles of the findings added and resolved in l's
// language (a copy: the entries and their lists are new).
func localiseImpact(l *i18n.Localizer, im piaflow.Impact) piaflow.Impact {
	title := func(fs []piaflow.ImpactFinding) []piaflow.ImpactFinding {
		if fs == nil {
			return nil
		}
		out := make([]piaflow.ImpactFinding, len(fs))
		for i, f := range fs {
			f.Title = l.Render(f.TitleMsg, f.Title)
			out[i] = f
		}
		return out
	}
	if im.Entries != nil {
		entries := make([]piaflow.ImpactEntry, len(im.Entries))
		for i, e := range im.Entries {
			e.Added, e.Resolved = title(e.Added), title(e.Resolved)
			entries[i] = e
		}
		im.Entries = entries
	}
	return im
}
