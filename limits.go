package piaflow

import "time"

// Input limits: what piaflow accepts and keeps. The store's columns are sized to them.
const (
	// MaxNameLength bounds a deployment's name and customer, in characters.
	MaxNameLength = 200
	// MaxUserNameLength bounds a user name and an action's assignee, in characters.
	MaxUserNameLength = 100
	// MaxLabelLength bounds a token's label, in characters.
	MaxLabelLength = 200
	// MaxTextLength bounds a comment, a justification and a review comment, in characters.
	MaxTextLength = 10000
	// MaxBodyBytes bounds a request body (a questionnaire, a JSON request).
	MaxBodyBytes = 1 << 20
	// MaxImportBytes bounds an uploaded action list (10,000 actions take about 1 MiB), over
	// HTTP and from the command line alike.
	MaxImportBytes = 16 << 20
	// DefaultPageSize and MaxPageSize bound a page of deployments.
	DefaultPageSize = 50
	MaxPageSize     = 200
	// MaxAuditPage bounds a page of audit events.
	MaxAuditPage = 1000
	// SessionTTL is how long a web UI session lasts after sign-in.
	SessionTTL = 12 * time.Hour
)
