"""会审、公示 and 异议 pages: the city's under /publicity/, the public 公示 under /gongshi/."""
