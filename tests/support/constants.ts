/** The bootstrap admin key every spec shares (there is one bootstrap key per database). */
export const TEST_ADMIN_KEY = 'olk_test-admin-key-0123456789abcdef';
