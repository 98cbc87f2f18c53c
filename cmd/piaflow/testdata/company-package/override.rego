package piaflow.gdpr

findings contains {"id": "OVERRIDE"}
