package service_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/examples"
)

func exampleFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := examples.FS.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// pushERP pushes the example register and ERP Suite 3.0 as the engineer.
func pushERP(t *testing.T, fx fixture) {
	t.Helper()
	ctx := context.Background()
	eng := fx.users[piaflow.RoleEngineer]
	if _, err := fx.svc.PushProcessors(ctx, eng, exampleFile(t, "products/processors.yaml")); err != nil {
		t.Fatal(err)
	}
	if _, _, err := fx.svc.PushProduct(ctx, eng, exampleFile(t, "products/erp-suite.yaml")); err != nil {
		t.Fatal(err)
	}
}

// TestPushProduct: a product version is immutable (the same profile again changes nothing,
// another profile under the same version is refused); a profile naming a processor the
// register lacks is refused at the field's path; sales and legal may not push.
func TestPushProduct(t *testing.T) {
	eachDatabase(t, func(t *testing.T, fx fixture) {
		ctx := context.Background()
		eng := fx.users[piaflow.RoleEngineer]
		profile := exampleFile(t, "products/erp-suite.yaml")
		_, _, err := fx.svc.PushProduct(ctx, eng, profile)
		var pe *piaflow.Error
		if !errors.As(err, &pe) || !errors.Is(err, piaflow.ErrInvalid) || len(pe.Fields) == 0 || pe.Fields[0].Field != "processors[0]" ||
			!strings.Contains(pe.Fields[0].Message, "Northwind Mail") {
			t.Fatalf("before the register: %v", err)
		}
		pushERP(t, fx)
		v, created, err := fx.svc.PushProduct(ctx, eng, profile)
		if err != nil || created || v.Name != "ERP Suite" || v.Version != "3.0" || len(v.Digest) != 64 {
			t.Errorf("again: %+v created %v %v", v, created, err)
		}
		changed := strings.Replace(string(profile), "Cloud ERP with", "ERP with", 1)
		if _, _, err := fx.svc.PushProduct(ctx, eng, []byte(changed)); !errors.Is(err, piaflow.ErrConflict) {
			t.Errorf("3.0 changed: %v; want a conflict", err)
		}
		bad := strings.Replace(string(profile), "vendor_country: SG", "vendor_country: XX", 1)
		var ve *assessments.ValidationError
		if _, _, err := fx.svc.PushProduct(ctx, eng, []byte(bad)); !errors.As(err, &ve) || ve.Problems[0].Path != "vendor_country" {
			t.Errorf("a bad country: %v", err)
		}
		for _, role := range []string{piaflow.RoleSales, piaflow.RoleLegal} {
			if _, _, err := fx.svc.PushProduct(ctx, fx.users[role], profile); !errors.Is(err, piaflow.ErrForbidden) {
				t.Errorf("%s: %v", role, err)
			}
		}
		list, total, err := fx.svc.Products(ctx, fx.users[piaflow.RoleSales], "", 10, 0)
		if err != nil || total != 1 || len(list) != 1 || list[0].Document != "" {
			t.Errorf("list: %+v %d %v", list, total, err)
		}
	})
}

// TestPushProcessors: an unchanged entry keeps its version, a changed one gets the next, with
// the count of deployments using it.
func TestPushProcessors(t *testing.T) {
	eachDatabase(t, func(t *testing.T, fx fixture) {
		ctx := context.Background()
		eng := fx.users[piaflow.RoleEngineer]
		pushERP(t, fx)
		if _, err := fx.svc.PushSpec(ctx, eng, 0, "", exampleFile(t, "products/deployments/de-manufacturer-rhein.yaml")); err != nil {
			t.Fatal(err)
		}
		again, err := fx.svc.PushProcessors(ctx, eng, exampleFile(t, "products/processors.yaml"))
		if err != nil || len(again) != 5 {
			t.Fatalf("%+v %v", again, err)
		}
		for _, p := range again {
			if p.Changed || p.Number != 1 {
				t.Errorf("unchanged %s: %+v", p.Name, p)
			}
		}
		one := "name: Telemetrix\ncountry: SG\nservice: telemetry\ncountries: [SG]\n"
		got, err := fx.svc.PushProcessors(ctx, eng, []byte(one))
		if err != nil || len(got) != 1 || !got[0].Changed || got[0].Number != 2 || got[0].Deployments != 1 {
			t.Errorf("changed Telemetrix: %+v %v; want version 2 used by 1 deployment", got, err)
		}
		e, err := fx.svc.Processor(ctx, fx.users[piaflow.RoleSales], "telemetrix", 0)
		if err != nil || e.Version.Number != 2 || len(e.History) != 2 || e.Entry.DPA != nil {
			t.Errorf("entry %+v %v", e, err)
		}
		if _, err := fx.svc.PushProcessors(ctx, eng, []byte("- name: X\n  country: ZZ\n")); err == nil {
			t.Error("a bad entry was accepted")
		}
	})
}

// TestImpactOfProcessorAndSpec: a proposed register entry (not stored) and a proposed spec
// (a module disabled) list their impact without storing anything; a deployment the change
// cannot compose is listed with the reason.
func TestImpactOfProcessorAndSpec(t *testing.T) {
	eachDatabase(t, func(t *testing.T, fx fixture) {
		ctx := context.Background()
		eng := fx.users[piaflow.RoleEngineer]
		pushERP(t, fx)
		res, err := fx.svc.PushSpec(ctx, eng, 0, "", exampleFile(t, "products/deployments/de-manufacturer-rhein.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		id := res.Deployment.ID
		// Telemetrix loses its DPA: Art. 28(3) no longer met for the German customer.
		noDPA := "name: Telemetrix\ncountry: SG\nservice: telemetry and crash reporting\ncountries: [SG]\ndpa: {signed: false}\n"
		imp, err := fx.svc.Impact(ctx, eng, piaflow.Change{Kind: piaflow.ChangeProcessor, ProcessorDocument: []byte(noDPA)}, 0, 0)
		if err != nil || imp.Total != 1 || len(imp.Entries) != 1 || len(imp.Entries[0].Added) == 0 {
			t.Fatalf("processor impact: %+v %v", imp, err)
		}
		if e, _ := fx.svc.Processor(ctx, eng, "Telemetrix", 0); e.Version.Number != 1 {
			t.Errorf("the proposed entry was stored: version %d", e.Version.Number)
		}
		// The spec with the HR module disabled resolves the HR findings.
		spec := strings.Replace(string(exampleFile(t, "products/deployments/de-manufacturer-rhein.yaml")), "modules: [finance, hr, crm, logistics]", "modules: [finance, crm, logistics]", 1)
		spec = strings.Replace(spec, "  - {type: job_applicants, countries: [DE], count: 5000}\n", "", 1)
		spec = strings.Replace(spec, "transfers:\n  - activities: [Payroll]\n    transfer: {to_country: CH, recipient: Lohnbüro Basel AG, recipient_type: processor, access: copy, mechanism: adequacy}\n", "", 1)
		imp, err = fx.svc.Impact(ctx, eng, piaflow.Change{Kind: piaflow.ChangeSpec, DeploymentID: id, Spec: []byte(spec)}, 0, 0)
		if err != nil || len(imp.Entries) != 1 || imp.Entries[0].Error != "" || imp.Entries[0].AnswersChanged == 0 {
			t.Fatalf("spec impact: %+v %v", imp, err)
		}
		// A module the product lacks: listed with the reason, nothing assessed.
		broken := strings.Replace(spec, "modules: [finance, crm, logistics]", "modules: [finance, crm, logistics, payroll]", 1)
		imp, err = fx.svc.Impact(ctx, eng, piaflow.Change{Kind: piaflow.ChangeSpec, DeploymentID: id, Spec: []byte(broken)}, 0, 0)
		if err != nil || len(imp.Entries) != 1 || !strings.Contains(imp.Entries[0].Error, "payroll") {
			t.Errorf("broken spec impact: %+v %v", imp, err)
		}
		if d, _ := fx.svc.Deployment(ctx, eng, id); d.LatestRevision != 1 {
			t.Errorf("impact lists stored a revision: %d", d.LatestRevision)
		}
		for _, tt := range []struct {
			ch    piaflow.Change
			limit int
			field string
		}{
			{piaflow.Change{Kind: "module"}, 0, "kind"},
			{piaflow.Change{Kind: piaflow.ChangeProduct, Product: "ERP Suite"}, 0, "product"},
			{piaflow.Change{Kind: piaflow.ChangeSpec}, 0, "deployment_id"},
			{piaflow.Change{Kind: piaflow.ChangeProcessor, Processor: "Telemetrix"}, piaflow.MaxImpactPage + 1, "limit"},
		} {
			_, err := fx.svc.Impact(ctx, eng, tt.ch, 0, tt.limit)
			var pe *piaflow.Error
			if !errors.As(err, &pe) || len(pe.Fields) != 1 || pe.Fields[0].Field != tt.field {
				t.Errorf("%+v: %v; want a problem at %s", tt.ch, err, tt.field)
			}
		}
		if _, err := fx.svc.Impact(ctx, fx.users[piaflow.RoleSales], piaflow.Change{Kind: piaflow.ChangeProcessor, Processor: "Telemetrix"}, 0, 0); !errors.Is(err, piaflow.ErrForbidden) {
			t.Errorf("sales: %v", err)
		}
	})
}

// TestTemplate: a template for a bank in Indonesia takes the product's hosting option for ID and
// lists every kind of person; a country without an option gets one on-premises site there.
func TestTemplate(t *testing.T) {
	eachDatabase(t, func(t *testing.T, fx fixture) {
		ctx := context.Background()
		eng := fx.users[piaflow.RoleEngineer]
		pushERP(t, fx)
		spec, option, err := fx.svc.Template(ctx, eng, "ERP Suite", "3.0", "id", "banking")
		if err != nil || option != "Indonesia" || len(spec.Hosting) != 1 || spec.Hosting[0].Region != "ap-southeast-3" ||
			len(spec.Modules) != 4 || spec.Deployment["sector"] != "banking" || len(spec.DataSubjects) == 0 {
			t.Fatalf("ID template: %+v %q %v", spec, option, err)
		}
		spec, option, err = fx.svc.Template(ctx, eng, "ERP Suite", "3.0", "KE", "")
		if err != nil || option != "" || spec.Hosting[0].Country != "KE" || spec.Hosting[0].Provider != "on_premises" {
			t.Errorf("KE template: %+v %q %v", spec.Hosting, option, err)
		}
		if _, _, err := fx.svc.Template(ctx, eng, "ERP Suite", "3.0", "XX", ""); !errors.Is(err, piaflow.ErrInvalid) {
			t.Errorf("XX: %v", err)
		}
		if _, _, err := fx.svc.Template(ctx, eng, "ERP Suite", "9", "ID", ""); !errors.Is(err, piaflow.ErrNotFound) {
			t.Errorf("no such version: %v", err)
		}
	})
}

// TestDirectEditDetaches: a questionnaire saved directly on a deployment composed from a product
// detaches it (audited): its source is gone and a change of the product or register no longer
// touches it; an identical save changes nothing.
func TestDirectEditDetaches(t *testing.T) {
	eachDatabase(t, func(t *testing.T, fx fixture) {
		ctx := context.Background()
		eng, admin := fx.users[piaflow.RoleEngineer], fx.users[piaflow.RoleAdmin]
		pushERP(t, fx)
		res, err := fx.svc.PushSpec(ctx, eng, 0, "", exampleFile(t, "products/deployments/sa-retailer-najd.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		id := res.Deployment.ID
		r, err := fx.svc.Revision(ctx, eng, id, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := fx.svc.SaveQuestionnaire(ctx, eng, id, r.ETag, []byte(r.Document)); err != nil {
			t.Fatal(err)
		}
		if _, err := fx.svc.DeploymentSource(ctx, eng, id); err != nil {
			t.Fatalf("an identical save detached the deployment: %v", err)
		}
		q, err := assessments.Parse([]byte(r.Document))
		if err != nil {
			t.Fatal(err)
		}
		q.Deployment.Name = "Najd Retail ERP (edited)"
		if _, _, err := fx.svc.SaveQuestionnaire(ctx, eng, id, r.ETag, jsonOf(t, q)); err != nil {
			t.Fatal(err)
		}
		if _, err := fx.svc.DeploymentSource(ctx, eng, id); !errors.Is(err, piaflow.ErrNotFound) {
			t.Errorf("after a direct edit: %v; want no source", err)
		}
		if n, err := fx.st.CountProcessorDeployments(ctx, "Telemetrix"); err != nil || n != 0 {
			t.Errorf("Telemetrix used by %d (%v); want 0", n, err)
		}
		evs, err := fx.svc.AuditLog(ctx, admin, id)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(evs, func(e piaflow.AuditEvent) bool {
			return e.Action == "detach" && strings.Contains(e.Detail, "ERP Suite 3.0")
		}) {
			t.Errorf("no detach event in %+v", evs)
		}
	})
}

func jsonOf(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
