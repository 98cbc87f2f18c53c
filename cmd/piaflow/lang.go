package main

import (
	"errors"
	"flag"
	"strings"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/i18n"
)

// defaultLang is the language of the messages when --lang is not given: PIAFLOW_LANG when set,
// else Chinese when the locale (LC_ALL, LC_MESSAGES, then LANG, as POSIX orders them) is
// Chinese (zh_CN.UTF-8), else English. getenv is os.Getenv (a parameter for the tests).
func defaultLang(getenv func(string) string) string {
	if v := getenv("PIAFLOW_LANG"); v != "" {
		return i18n.Match(v)
	}
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := getenv(name)
		if v == "" {
			continue
		}
		// zh_CN.UTF-8, zh_CN@pinyin: the language and territory only
		v, _, _ = strings.Cut(v, ".")
		v, _, _ = strings.Cut(v, "@")
		if v == "C" || v == "POSIX" {
			return i18n.English
		}
		return i18n.Match(v)
	}
	return i18n.English
}

// langFlag adds --lang to fs, its default from the environment (defaultLang).
func langFlag(fs *flag.FlagSet, getenv func(string) string, what string) *string {
	return fs.String("lang", defaultLang(getenv), "language of "+what+": en or zh-CN (default from PIAFLOW_LANG or LANG)")
}

// localizer is the localizer of lang, or a usage error when piaflow does not speak it.
func localizer(lang string) (*i18n.Localizer, error) {
	if !i18n.Supported(lang) {
		return nil, usagef("--lang %q: use %s", lang, strings.Join(i18n.Languages(), " or "))
	}
	return i18n.MustLoad().Get(lang), nil
}

// localError is an error whose text is in the language of the command line; it wraps the error
// it says.
type localError struct {
	text string
	err  error
}

func (e localError) Error() string { return e.text }
func (e localError) Unwrap() error { return e.err }

// localized is err in l's language when it carries an error message (piaflow.MessageOf: a
// limit, a conflict, a refusal of the service) and l is not English; the exit code is err's.
// Any other error is returned as it is.
func localized(l *i18n.Localizer, err error) error {
	if err == nil || l == nil || l.Lang() == i18n.English {
		return err
	}
	s, ok := l.Message(piaflow.MessageOf(err))
	if !ok {
		return err
	}
	return localError{text: s, err: err}
}

// invalidInput is the error of a file that failed validation, a usage error (exit 2): label
// names the file ("deployment spec specs/x.yaml"), then each problem, in l's language (nil:
// English). Any other error is returned wrapped with the label.
func invalidInput(l *i18n.Localizer, label string, err error) error {
	var ve *assessments.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	if l == nil || l.Lang() == i18n.English {
		return usagef("%s: %w", label, err)
	}
	return usageError{err: localError{text: l.T("problem.problem", "path", label, "message", l.ValidationError(ve)), err: err}}
}

// fileLabel names a file of a kind ("product", "deployment spec") in l's language.
func fileLabel(l *i18n.Localizer, what, path string) string {
	if l == nil || l.Lang() == i18n.English {
		return what + " " + path
	}
	return l.Or("problem.cli.what."+strings.ReplaceAll(what, " ", "_"), what) + " " + path
}
