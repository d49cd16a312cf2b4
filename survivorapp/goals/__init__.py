"""Goals that survivors set, break into steps and send to staff for approval."""
