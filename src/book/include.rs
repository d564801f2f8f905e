//! mdBook include directives (to be written).
