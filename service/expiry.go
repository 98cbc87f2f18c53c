package service

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
)

// ExpiryWindow is how long before a register item's last valid day its deployments are told
// (the rules PROCESSOR-EXPIRY-SOON: 60 days).
const ExpiryWindow = 60 * 24 * time.Hour

// ExpiryLookBack is how many days back ExpiryCheck still catches a crossing it missed (a server
// down on the day).
const ExpiryLookBack = 7

// ExpiryCheck starts, for each register entry with a certification, DPA or BAA that entered the
// 60 days before its expiry or expired within the last ExpiryLookBack days up to now (unless the
// check started one for that crossing already), a processor propagation as piaflow.System,
// so that every deployment using it is assessed again without anyone changing anything: the
// expiry findings appear on the affected assessments. The job queue runs it once a day. It
// returns the propagations started. The register is read whole (at most
// piaflow.MaxRegisterEntries entries).
func (s *Service) ExpiryCheck(ctx context.Context, now time.Time) ([]piaflow.Propagation, error) {
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	entries, _, err := s.st.Processors(ctx, piaflow.MaxRegisterEntries, 0, true)
	if err != nil {
		return nil, err
	}
	var out []piaflow.Propagation
	for _, v := range entries {
		e, err := assessments.ParseProcessor([]byte(v.Document))
		if err != nil {
			return out, fmt.Errorf("stored processor %s version %d: %w", v.Name, v.Number, err)
		}
		reason, ok := expiryCrossing(e, today)
		if !ok {
			continue
		}
		params, err := json.Marshal(piaflow.PropagationParams{Processor: e.Name})
		if err != nil {
			return out, fmt.Errorf("encode propagation params: %w", err)
		}
		started, err := s.st.PropagationWithReason(ctx, piaflow.PropagationProcessor, reason)
		if err != nil {
			return out, err
		}
		if started {
			continue
		}
		n, err := s.st.CountProcessorDeployments(ctx, e.Name)
		if err != nil {
			return out, err
		}
		if n == 0 {
			continue
		}
		p, err := s.StartPropagation(ctx, piaflow.System, piaflow.PropagationProcessor, params, reason)
		if err != nil {
			return out, fmt.Errorf("expiry check: %s: %w", e.Name, err)
		}
		out = append(out, p)
	}
	return out, nil
}

// expiryCrossing finds an item of entry e that crossed a threshold in the last ExpiryLookBack
// days up to today: its expiry came within ExpiryWindow, or it expired (its last valid day was
// before today). It returns the reason to record (naming the item, the crossing and the date:
// the same crossing gives the same reason) and whether one did.
func expiryCrossing(e *assessments.RegisteredProcessor, today time.Time) (string, bool) {
	type item struct{ what, zh, on string }
	var items []item
	for _, c := range e.Certifications {
		if c.ExpiresOn != nil {
			items = append(items, item{"certification " + c.Name, "认证 " + c.Name, *c.ExpiresOn})
		}
	}
	if e.DPA != nil && e.DPA.ExpiresOn != nil {
		items = append(items, item{"DPA", "数据处理协议（DPA）", *e.DPA.ExpiresOn})
	}
	if e.BAA != nil && e.BAA.ExpiresOn != nil {
		items = append(items, item{"BAA", "业务伙伴协议（BAA）", *e.BAA.ExpiresOn})
	}
	from := today.AddDate(0, 0, -ExpiryLookBack)
	for _, it := range items {
		last, err := time.Parse(time.DateOnly, it.on)
		if err != nil {
			continue
		}
		expired := last.AddDate(0, 0, 1) // the first day it is no longer valid
		soon := last.Add(-ExpiryWindow)  // the first day within the window
		for _, c := range []struct {
			day      time.Time
			en, zhCN string
		}{
			{expired, "has expired", "已过期"},
			{soon, "expires within 60 days", "将在 60 天内到期"},
		} {
			if c.day.After(from) && !c.day.After(today) {
				// The reason is free text kept as is: the system writes it in both languages.
				return fmt.Sprintf("expiry check: %s's %s %s (last valid day %s) / 到期检查：%s 的 %s %s（最后有效日 %s）",
					e.Name, it.what, c.en, it.on, e.Name, it.zh, c.zhCN, it.on), true
			}
		}
	}
	return "", false
}
