"""What happens in the registry: 发文 (publish), the registry's rows and statuses, 择优推荐
(recommend) and its package."""
