"""The web layer shared by every page: request ids, logging, error pages, session idle timeout."""
