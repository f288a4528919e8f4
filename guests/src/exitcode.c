/* exitcode: prints one line and returns 42 from main (exit_group(42)). */
#include <stdio.h>

int main(void)
{
    puts("returning 42 from main");
    return 42;
}
