"""发文 certification with its 文号, the registry of certified clusters and the 择优推荐."""
