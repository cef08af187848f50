//! The JSON API (接口), one module per area. Every handler checks the caller's role and scope
//! itself; the route table in [`crate::routes`] documents the same rules for OpenAPI and is
//! checked against the handlers by the role × endpoint test.

pub mod admin;
pub mod data;
pub mod measures;
pub mod periods;
pub mod personal;
pub mod results;
pub mod templates;
