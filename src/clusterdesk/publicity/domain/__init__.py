"""The 会审 decision, the 公示 and the objections: the doors every change goes through."""
