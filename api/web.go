package api

// webRoutes registers the web UI (pages under /, static files under /static).
func (s *Server) webRoutes() {}
