"""danso — Hệ thống thông tin quản lý chuyên ngành Dân số - KHHGĐ."""

__version__ = "0.1.0"
