"""Customer insights: segmentation, help-article recommendations, escalation risk, reports."""
