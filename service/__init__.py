"""citylake data service (数据共享交换服务)."""
