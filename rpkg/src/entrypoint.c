// R finds the routines that the Rust crate registers through this function.
// Calling into the static library from C also keeps the linker from
// dropping it.
void R_init_cognitoidp_extendr(void *dll);
void register_extendr_panic_hook(void);

void R_init_cognitoidp(void *dll) {
    register_extendr_panic_hook();
    R_init_cognitoidp_extendr(dll);
}
