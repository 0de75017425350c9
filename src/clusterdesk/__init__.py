"""clusterdesk — 中小企业特色产业集群申报认定平台."""
