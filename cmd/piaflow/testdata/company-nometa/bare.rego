package piaflow.custom.bare

findings contains f if {
	f := {"id": "BARE", "severity": "critical"}
}
