package piaflow

import "time"

// AuditEvent records who did what to which object, when. The store only appends them.
type AuditEvent struct {
	ID         uint64    `gorm:"primaryKey" json:"id"`
	At         time.Time `gorm:"not null;index" json:"at"`
	ActorID    uint64    `gorm:"index" json:"actor_id"`
	Actor      string    `gorm:"size:100" json:"actor"`
	Action     string    `gorm:"size:40;not null" json:"action"`
	ObjectType string    `gorm:"size:40;not null;index:idx_audit_object,priority:1" json:"object_type"`
	ObjectID   uint64    `gorm:"not null;index:idx_audit_object,priority:2" json:"object_id"`
	Detail     string    `gorm:"type:text" json:"detail,omitempty"`
}
