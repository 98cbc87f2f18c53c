package piaflow

import "time"

// Input limits: what piaflow accepts and keeps. The store's columns are sized to them.
const (
	// MaxNameLength bounds a deployment's name and customer, in characters.
	MaxNameLength = 200
	// MaxUserNameLength bounds a user name and an action's assignee, in characters.
	MaxUserNameLength = 100
	// MaxEmailLength bounds a user's e-mail address, in characters (RFC 5321's path limit).
	MaxEmailLength = 254
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
	// MaxPropagationDeployments bounds the deployments one propagation re-assesses, checked
	// before anything is stored or queued (a propagation over more is refused).
	MaxPropagationDeployments = 100_000
	// MaxOutcomePage bounds a page of a propagation's outcomes; MaxPropagationPage a page of
	// propagations.
	MaxOutcomePage     = 1000
	MaxPropagationPage = 200
	// MaxAuditPage bounds a page of audit events.
	MaxAuditPage = 1000
	// SessionTTL is how long a web UI session lasts after sign-in.
	SessionTTL = 12 * time.Hour
)

// Limits of the web UI's questionnaire wizard: what one posted section may make the form
// parser build, and how large a page of the wizard may be. A draft is bounded as a whole by the
// questionnaire's limits (assessments.CheckDraft); these bound the work before that check.
const (
	// MaxFormEntries bounds the entries of lists of objects (activities, transfers,
	// data-subject groups, ..., nested lists' entries summed) the form parser builds from one
	// posted section, checked before each list is allocated. Every such entry of a rendered page
	// has at least one input and a page has at most MaxWizardInputs, so no page of the wizard
	// posts more.
	MaxFormEntries = 10_000
	// MaxFormValues bounds the values (objects, lists, fields, each country or line of a list)
	// the form parser builds from one posted section: the questionnaire's own limit of values
	// (assessments.MaxValues), which a draft must keep anyway.
	MaxFormValues = 100_000
	// MaxWizardInputs bounds the inputs one page of the wizard renders (about 800 bytes of HTML
	// each). A section with more is shown without its form, with a link to the questionnaire
	// as JSON: under Go's limit of 10,000 fields a posted form, a page with more inputs could
	// not be saved anyway.
	MaxWizardInputs = 9_000
)

// Limits of work: how long an evaluation may run, how large what it stores and what a report
// renders may be, how many reports render at once. Each is checked before the work it bounds
// (docs/limits.md lists them with what the user gets).
const (
	// DefaultEvalTimeout bounds one evaluation (built-in and company rules) unless configured
	// otherwise (serve --eval-timeout, assess --eval-timeout): past it the evaluation stops and
	// nothing is stored.
	DefaultEvalTimeout = 30 * time.Second
	// DefaultEvalWait is how long an evaluation waits for an evaluation slot when the server
	// bounds the evaluations running at once (serve --eval-slots, ServeEvalSlots), and
	// EvalRetryAfter the Retry-After of one refused for want of a slot.
	DefaultEvalWait = 10 * time.Second
	EvalRetryAfter  = 10 * time.Second
	// DefaultMemoryLimitMiB is the Go runtime's soft memory limit `piaflow serve` sets unless
	// GOMEMLIMIT is set (serve --memory-limit-mib): the garbage collector works harder as the
	// heap nears it, so that short-lived garbage (a report's render allocates gigabytes) does not
	// push the process past 1 GiB.
	DefaultMemoryLimitMiB = 768
	// DefaultGCPercent is the garbage collector's target `piaflow serve` sets unless GOGC is set
	// (serve --gc-percent): the heap may grow to five times what is live before a collection
	// (Go's default: twice), because an evaluation's garbage is short-lived and collecting it
	// less often leaves more CPU to evaluations (on the reference machine, four clients
	// evaluating the hospital example: 64 → 85 evaluations/s, CPU per evaluation 19.8 → 14.3 ms,
	// peak RSS 137 → 255 MiB); DefaultMemoryLimitMiB still bounds the heap. The default applies
	// only under a memory limit: without one, garbage kept longer would count against the
	// evaluations' heap guard (policies.DefaultMaxHeap).
	DefaultGCPercent = 400
	// MaxResultBytes bounds an assessment as stored (its JSON), checked before it is stored.
	// The largest questionnaire that evaluates within DefaultEvalTimeout on the reference
	// machine (30 activities, 32 subject countries, 10 transfers each) gives 12.6 MiB.
	MaxResultBytes = 16 << 20
	// MaxReportFindings bounds the findings one report (PDF or action list) renders.
	MaxReportFindings = 5000
	// MaxReportRows bounds the rows one report renders: findings, transfer rows,
	// localisation rows and, for the action list, actions, together.
	MaxReportRows = 25000
	// DefaultRenderSlots is the most reports rendered at once unless configured otherwise
	// (serve --render-slots; ServeRenderSlots leaves a CPU free of them); a request that finds
	// every slot taken waits up to DefaultRenderWait, then is refused with a Retry-After.
	DefaultRenderSlots = 2
	// DefaultRenderWait is how long a report request waits for a render slot.
	DefaultRenderWait = 10 * time.Second
	// RenderRetryAfter is the Retry-After of a report refused for want of a render slot.
	RenderRetryAfter = 10 * time.Second
	// ReevaluateBudget bounds an in-process re-evaluation of every deployment
	// (service.Reevaluate; the API's re-evaluation runs as background jobs instead): past it no
	// further deployment's evaluation starts (each started one still has DefaultEvalTimeout);
	// the rest are counted as skipped.
	ReevaluateBudget = 60 * time.Second
	// DefaultReportCacheBytes bounds the rendered reports kept in memory (least recently used
	// dropped first) unless configured otherwise (serve --report-cache-mib).
	DefaultReportCacheBytes = 64 << 20
	// DefaultResultCacheBytes bounds the evaluation results an evaluator keeps in memory by
	// questionnaire and as-of date (least recently used dropped first; a result over a quarter
	// of it is not kept), unless configured otherwise (serve --result-cache-mib).
	DefaultResultCacheBytes = 32 << 20
)

// Rate limits per user that `piaflow serve` applies unless told otherwise (--rate-evaluate and
// the other flags): bursts of Burst requests, then PerMinute a minute. Past them the request is
// refused with a Retry-After before any work.
const (
	// RateEvaluatePerMinute and RateEvaluateBurst bound evaluations (an evaluation costs
	// milliseconds to DefaultEvalTimeout of CPU).
	RateEvaluatePerMinute = 30
	RateEvaluateBurst     = 10
	// RateReevaluatePerMinute and RateReevaluateBurst bound re-evaluations of every deployment.
	RateReevaluatePerMinute = 2
	RateReevaluateBurst     = 1
	// RateHostingCheckPerMinute and RateHostingCheckBurst bound hosting checks.
	RateHostingCheckPerMinute = 60
	RateHostingCheckBurst     = 20
	// RateReportsPerMinute and RateReportsBurst bound report downloads (PDF and action list),
	// served from the cache or rendered.
	RateReportsPerMinute = 60
	RateReportsBurst     = 20
)

// ServeEvalSlots is how many evaluations `piaflow serve` runs at once on cpus CPUs
// (GOMAXPROCS) unless told otherwise (--eval-slots): one per CPU but one, at least one. An
// evaluation keeps a CPU busy for up to DefaultEvalTimeout; with every CPU taken by them, every
// other request (a health check, a page) queues behind them: measured with bench/load on two
// CPUs, one evaluation and one render slot against two and two give /healthz a p50 of 1–3 ms
// against 14–17 ms and a p99 12–58 % lower (bench/README.md).
func ServeEvalSlots(cpus int) int { return max(1, cpus-1) }

// ServeRenderSlots is how many reports `piaflow serve` renders at once on cpus CPUs unless told
// otherwise (--render-slots): DefaultRenderSlots, but one CPU left to other work, at least one.
func ServeRenderSlots(cpus int) int { return max(1, min(DefaultRenderSlots, cpus-1)) }

// Admission control: how many requests `piaflow serve` lets work at once, and how many and for
// how long others wait for their turn (docs/limits.md, "Work slots"). /healthz, /readyz and
// /metrics are not counted; a request waiting for or working in an evaluation or render slot
// gives its work slot up meanwhile.
const (
	// DefaultWorkQueue is the most requests waiting for a work slot (serve --work-queue); one
	// more is refused at once with a Retry-After.
	DefaultWorkQueue = 256
	// DefaultWorkWait is the longest a request waits for a work slot (serve --work-wait), then
	// it is refused with a Retry-After.
	DefaultWorkWait = 10 * time.Second
	// WorkRetryAfter is the Retry-After of a request refused for want of a work slot.
	WorkRetryAfter = 5 * time.Second
)

// ServeWorkSlots is how many requests `piaflow serve` lets work at once on cpus CPUs
// (GOMAXPROCS) unless told otherwise (--work-slots): two per CPU, at least two. Requests are
// short CPU work with waits for the database between; evaluations and renders, the long CPU
// work, have slots of their own and do not count here, so this bounds what competes with a
// health check for a CPU: at most this many requests, one evaluation and one render per
// evaluation and render slot.
func ServeWorkSlots(cpus int) int { return max(2, 2*cpus) }

// ServeProcs is the GOMAXPROCS `piaflow serve` sets on cpus CPUs unless told otherwise
// (--go-procs, or GOMAXPROCS in the environment): four per CPU. Go notices a new connection at
// once only when one of its threads (Ps) is idle, waiting in the network poller; when every P
// runs a goroutine, the connection waits for Go's scheduler to preempt one (every 10 ms) or for
// its monitor's poll (also about every 10 ms), and a health check queues behind CPU-bound
// evaluations and renders. At one P per CPU the slots hold them all; at two per CPU the work
// slots (two per CPU), the evaluation and render slots and the garbage collector still often
// do. At four per CPU one is nearly always idle, and the kernel, which switches far more
// finely and, with DefaultWorkNice, runs the evaluations and renders last, shares the CPUs:
// measured with bench/load on two CPUs (nice 10), /healthz p99 15–22 ms at four per CPU,
// 43–50 ms at two, 114–165 ms at one (bench/README.md). The slots are still sized by CPUs, not
// by these threads.
func ServeProcs(cpus int) int { return 4 * max(cpus, 1) }

// DefaultWorkNice is how much `piaflow serve` raises the nice value of the threads that
// evaluate questionnaires and render reports (--work-nice; internal/lowprio): at nice 10 a
// thread weighs about a tenth of one at nice 0, so a health check or a quick request that wakes
// while evaluations and renders hold the CPUs gets one at once; on an idle machine they run at
// full speed. Linux only.
const DefaultWorkNice = 10

// Webhooks: how many, how large, how often and how long (docs/webhooks.md).
const (
	// MaxWebhooks bounds the webhooks registered (active ones).
	MaxWebhooks = 20
	// MaxWebhookURLLength bounds a webhook's URL, in characters.
	MaxWebhookURLLength = 2000
	// MaxWebhookPayloadBytes bounds an event's JSON body; a larger event is not queued.
	MaxWebhookPayloadBytes = 64 << 10
	// MaxWebhookAttempts is how often a delivery is tried before it is marked failed.
	MaxWebhookAttempts = 8
	// WebhookDeliveryTimeout bounds one attempt: connecting, sending and reading the answer.
	WebhookDeliveryTimeout = 10 * time.Second
	// MaxWebhookResponseBytes bounds what is read of a receiver's answer (the rest is dropped).
	MaxWebhookResponseBytes = 64 << 10
	// WebhookPollInterval is how often the delivery worker looks for due deliveries when no
	// new one woke it.
	WebhookPollInterval = 5 * time.Second
	// WebhookBatch bounds the deliveries one worker claims at once.
	WebhookBatch = 20
	// MaxWebhookDeliveriesPage bounds a page of deliveries listed.
	MaxWebhookDeliveriesPage = 200
)

// Limits of products, the processor register and impact lists (issue 15; docs/limits.md).
const (
	// MaxProductVersions bounds the product versions stored, all products together.
	MaxProductVersions = 10_000
	// MaxRegisterEntries bounds the entries of the processor register.
	MaxRegisterEntries = 10_000
	// MaxProcessorVersions bounds the versions kept of one register entry.
	MaxProcessorVersions = 1000
	// MaxImpactPage bounds the deployments one impact request assesses (a page; the cursor
	// gives the next).
	MaxImpactPage = 200
	// DefaultImpactPage is an impact page's size when none is asked for.
	DefaultImpactPage = 50
)
