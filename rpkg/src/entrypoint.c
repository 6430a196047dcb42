// R finds the package's routines through this function; the Rust crate
// registers them (cognitoidp_register_routines in lib.rs). Calling into the
// static library from C also keeps the linker from dropping it.
void cognitoidp_register_routines(void *dll);
void register_extendr_panic_hook(void);

void R_init_cognitoidp(void *dll) {
    register_extendr_panic_hook();
    cognitoidp_register_routines(dll);
}
