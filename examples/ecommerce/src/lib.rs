//! ecommerce
