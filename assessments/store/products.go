package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/piaflow/piaflow"
)

// Key is the key of a product's or a register entry's name: names are compared ignoring case.
func Key(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

// PushProduct stores product version v (Key set from its name) unless the same name and version
// is stored: with the same digest it returns that one (created false), with another it refuses
// (ErrConflict: a version is immutable). At most piaflow.MaxProductVersions are stored
// (ErrInvalid, ReasonTooLarge).
func (s *Store) PushProduct(ctx context.Context, actor *piaflow.User, v piaflow.ProductVersion) (piaflow.ProductVersion, bool, error) {
	v.ID, v.NameKey = 0, Key(v.Name)
	if actor != nil {
		v.CreatedBy, v.Creator = actor.ID, actor.Name
	}
	created := false
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var old piaflow.ProductVersion
		err := tx.Where("name_key = ? AND version = ?", v.NameKey, v.Version).First(&old).Error
		switch {
		case err == nil:
			if old.Digest != v.Digest {
				return piaflow.MsgError(piaflow.ErrConflict, "", "error.product_immutable", "product", old.Name, "version", old.Version)
			}
			v = old
			return nil
		case !errors.Is(err, gorm.ErrRecordNotFound):
			return err
		}
		var n int64
		if err := tx.Model(&piaflow.ProductVersion{}).Count(&n).Error; err != nil {
			return err
		}
		if n >= piaflow.MaxProductVersions {
			return piaflow.MsgError(piaflow.ErrInvalid, piaflow.ReasonTooLarge, "error.limit.product_versions", "n", n)
		}
		if err := tx.Create(&v).Error; err != nil {
			return err
		}
		created = true
		return s.audit(tx, actor, "push_product", "product", v.ID, v.Name+" "+v.Version)
	})
	return v, created, translate(err, "push product "+v.Name+" "+v.Version)
}

// ProductVersion returns a stored product version (name ignoring case). Errors: ErrNotFound.
func (s *Store) ProductVersion(ctx context.Context, name, version string) (piaflow.ProductVersion, error) {
	var v piaflow.ProductVersion
	err := s.db.WithContext(ctx).Where("name_key = ? AND version = ?", Key(name), version).First(&v).Error
	return v, translateObj(err, fmt.Sprintf("product %s %s", name, version), "product", "product", name, "version", version)
}

// ProductVersions lists the stored product versions without their documents, by name and then
// newest first, at most limit from offset, with how many there are. name "" lists every product.
func (s *Store) ProductVersions(ctx context.Context, name string, limit, offset int) ([]piaflow.ProductVersion, int64, error) {
	q := s.db.WithContext(ctx).Model(&piaflow.ProductVersion{})
	if name != "" {
		q = q.Where("name_key = ?", Key(name))
	}
	var n int64
	if err := q.Count(&n).Error; err != nil {
		return nil, 0, translate(err, "count product versions")
	}
	var out []piaflow.ProductVersion
	err := q.Omit("document").Order("name_key, id DESC").Limit(pageSize(limit, piaflow.MaxPageSize)).Offset(offset).Find(&out).Error
	return out, n, translate(err, "list product versions")
}

// PushProcessor stores entry v as the register entry's next version unless its digest is the
// current version's (then it returns that one, created false). At most
// piaflow.MaxRegisterEntries entries and piaflow.MaxProcessorVersions versions of one entry
// (ErrInvalid, ReasonTooLarge).
func (s *Store) PushProcessor(ctx context.Context, actor *piaflow.User, v piaflow.ProcessorVersion) (piaflow.ProcessorVersion, bool, error) {
	v.ID, v.NameKey = 0, Key(v.Name)
	if actor != nil {
		v.CreatedBy, v.Creator = actor.ID, actor.Name
	}
	created := false
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var cur piaflow.ProcessorVersion
		err := tx.Where("name_key = ?", v.NameKey).Order("number DESC").First(&cur).Error
		switch {
		case err == nil:
			if cur.Digest == v.Digest {
				v = cur
				return nil
			}
			if cur.Number >= piaflow.MaxProcessorVersions {
				return piaflow.MsgError(piaflow.ErrInvalid, piaflow.ReasonTooLarge, "error.limit.processor_versions", "processor", cur.Name, "n", cur.Number)
			}
			v.Number = cur.Number + 1
		case errors.Is(err, gorm.ErrRecordNotFound):
			var n int64
			if err := tx.Model(&piaflow.ProcessorVersion{}).Distinct("name_key").Count(&n).Error; err != nil {
				return err
			}
			if n >= piaflow.MaxRegisterEntries {
				return piaflow.MsgError(piaflow.ErrInvalid, piaflow.ReasonTooLarge, "error.limit.register", "n", n)
			}
			v.Number = 1
		default:
			return err
		}
		if err := tx.Create(&v).Error; err != nil {
			return err
		}
		created = true
		return s.audit(tx, actor, "push_processor", "processor", v.ID, fmt.Sprintf("%s version %d", v.Name, v.Number))
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return v, false, piaflow.MsgKind(piaflow.ErrPrecondition, "error.concurrent.processor", "processor", v.Name)
	}
	return v, created, translate(err, "push processor "+v.Name)
}

// Processor returns a register entry's version n (0: the current one). Errors: ErrNotFound.
func (s *Store) Processor(ctx context.Context, name string, n int) (piaflow.ProcessorVersion, error) {
	q := s.db.WithContext(ctx).Where("name_key = ?", Key(name))
	if n > 0 {
		q = q.Where("number = ?", n)
	}
	var v piaflow.ProcessorVersion
	err := q.Order("number DESC").First(&v).Error
	return v, translateObj(err, "processor "+name, "processor", "processor", name)
}

// ProcessorHistory lists a register entry's versions without their documents, newest first.
func (s *Store) ProcessorHistory(ctx context.Context, name string, limit int) ([]piaflow.ProcessorVersion, error) {
	var out []piaflow.ProcessorVersion
	err := s.db.WithContext(ctx).Omit("document").Where("name_key = ?", Key(name)).Order("number DESC").
		Limit(pageSize(limit, piaflow.MaxProcessorVersions)).Find(&out).Error
	return out, translate(err, "processor history "+name)
}

// currentProcessors is the query of the register's current entries (each key's highest number).
func (s *Store) currentProcessors(ctx context.Context) *gorm.DB {
	db := s.db.WithContext(ctx)
	latest := db.Model(&piaflow.ProcessorVersion{}).Select("name_key, MAX(number) AS number").Group("name_key")
	return db.Model(&piaflow.ProcessorVersion{}).
		Joins("JOIN (?) AS cur ON cur.name_key = processor_versions.name_key AND cur.number = processor_versions.number", latest)
}

// Processors lists the register's current entries, by name, at most limit from offset, with
// how many there are; withDocuments false leaves their documents out.
func (s *Store) Processors(ctx context.Context, limit, offset int, withDocuments bool) ([]piaflow.ProcessorVersion, int64, error) {
	var n int64
	if err := s.db.WithContext(ctx).Model(&piaflow.ProcessorVersion{}).Distinct("name_key").Count(&n).Error; err != nil {
		return nil, 0, translate(err, "count processors")
	}
	q := s.currentProcessors(ctx)
	if !withDocuments {
		q = q.Omit("document")
	}
	var out []piaflow.ProcessorVersion
	err := q.Order("processor_versions.name_key").Limit(pageSize(limit, piaflow.MaxRegisterEntries)).Offset(offset).Find(&out).Error
	return out, n, translate(err, "list processors")
}

// ProcessorsNamed returns the current versions of the register entries with these names (keys);
// names not in the register are left out.
func (s *Store) ProcessorsNamed(ctx context.Context, names []string) ([]piaflow.ProcessorVersion, error) {
	if len(names) == 0 {
		return nil, nil
	}
	keys := make([]string, len(names))
	for i, n := range names {
		keys[i] = Key(n)
	}
	var out []piaflow.ProcessorVersion
	err := s.currentProcessors(ctx).Where("processor_versions.name_key IN ?", keys).Find(&out).Error
	return out, translate(err, "read processors")
}

// Composed is a composed questionnaire to keep: its source (product version and spec), the
// register entries it used, and the document of the revision (nil: the latest complete revision
// says the same, none is made).
type Composed struct {
	Source     piaflow.DeploymentSource
	Processors []string
	Document   []byte
}

// SaveComposed keeps a deployment's source and the register entries its composition used and,
// when c.Document is set, a new complete revision (ifMatch as for SaveRevision), in one
// transaction. It returns the new revision (zero without one). Errors as SaveRevision's.
func (s *Store) SaveComposed(ctx context.Context, actor *piaflow.User, deploymentID uint64, ifMatch string, c Composed) (piaflow.Revision, error) {
	var r piaflow.Revision
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if c.Document != nil {
			var err error
			if r, err = s.saveRevision(tx, actor, deploymentID, ifMatch, c.Document, false); err != nil {
				return err
			}
		} else if _, err := lockActive(tx, deploymentID); err != nil {
			return err
		}
		src := c.Source
		src.DeploymentID, src.ProductKey, src.UpdatedAt = deploymentID, Key(src.Product), s.now()
		keys := make([]string, 0, len(c.Processors))
		for _, n := range c.Processors {
			if k := Key(n); k != "" && !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
		src.Processors = strings.Join(keys, "\n")
		if err := tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(&src).Error; err != nil {
			return err
		}
		if err := tx.Where("deployment_id = ?", deploymentID).Delete(&piaflow.ProcessorRef{}).Error; err != nil {
			return err
		}
		if len(keys) == 0 {
			return nil
		}
		refs := make([]piaflow.ProcessorRef, len(keys))
		for i, k := range keys {
			refs[i] = piaflow.ProcessorRef{DeploymentID: deploymentID, NameKey: k}
		}
		return tx.Create(&refs).Error
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return r, piaflow.MsgKind(piaflow.ErrPrecondition, "error.concurrent.composed")
	}
	return r, translate(err, fmt.Sprintf("save composed questionnaire of deployment %d", deploymentID))
}

// Source returns how a deployment is composed. Errors: ErrNotFound (a stand-alone questionnaire).
func (s *Store) Source(ctx context.Context, deploymentID uint64) (piaflow.DeploymentSource, error) {
	var src piaflow.DeploymentSource
	err := s.db.WithContext(ctx).First(&src, deploymentID).Error
	return src, translate(err, fmt.Sprintf("source of deployment %d", deploymentID))
}

// productDeployments is the query of the active deployments composed from product name on a
// version other than except ("": any).
func (s *Store) productDeployments(ctx context.Context, name, except string) *gorm.DB {
	q := s.db.WithContext(ctx).Model(&piaflow.DeploymentSource{}).
		Joins("JOIN deployments ON deployments.id = deployment_sources.deployment_id").
		Where("deployment_sources.product_key = ? AND deployments.status = ?", Key(name), piaflow.DeploymentActive)
	if except != "" {
		q = q.Where("deployment_sources.product_version <> ?", except)
	}
	return q
}

// processorDeployments is the query of the active deployments whose composition uses entry name.
func (s *Store) processorDeployments(ctx context.Context, name string) *gorm.DB {
	return s.db.WithContext(ctx).Model(&piaflow.ProcessorRef{}).
		Joins("JOIN deployments ON deployments.id = processor_refs.deployment_id").
		Where("processor_refs.name_key = ? AND deployments.status = ?", Key(name), piaflow.DeploymentActive)
}

// ProductDeploymentIDs returns the active deployments composed from product name on a version
// other than except ("" : any), in id order after the cursor, at most limit.
func (s *Store) ProductDeploymentIDs(ctx context.Context, name, except string, after uint64, limit int) ([]uint64, error) {
	var ids []uint64
	err := s.productDeployments(ctx, name, except).Where("deployment_sources.deployment_id > ?", after).
		Order("deployment_sources.deployment_id").Limit(limit).Pluck("deployment_sources.deployment_id", &ids).Error
	return ids, translate(err, "list the deployments of product "+name)
}

// ProcessorDeploymentIDs returns the active deployments whose composition uses register entry
// name, in id order after the cursor, at most limit.
func (s *Store) ProcessorDeploymentIDs(ctx context.Context, name string, after uint64, limit int) ([]uint64, error) {
	var ids []uint64
	err := s.processorDeployments(ctx, name).Where("processor_refs.deployment_id > ?", after).
		Order("processor_refs.deployment_id").Limit(limit).Pluck("processor_refs.deployment_id", &ids).Error
	return ids, translate(err, "list the deployments using processor "+name)
}

// CountProductDeployments counts what ProductDeploymentIDs lists.
func (s *Store) CountProductDeployments(ctx context.Context, name, except string) (int64, error) {
	var n int64
	return n, translate(s.productDeployments(ctx, name, except).Count(&n).Error, "count the deployments of product "+name)
}

// CountProcessorDeployments counts the active deployments whose composition uses entry name.
func (s *Store) CountProcessorDeployments(ctx context.Context, name string) (int64, error) {
	var n int64
	return n, translate(s.processorDeployments(ctx, name).Count(&n).Error, "count the deployments using processor "+name)
}
