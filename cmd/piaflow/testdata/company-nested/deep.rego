package piaflow.custom.acme.security

findings contains {"id": "DEEP"}
