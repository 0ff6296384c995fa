@echo off
rem The command line of seqguard: the runnable jar in ..\lib, in a JVM set up for a run of seconds
rem (see bin/seqguard). SEQGUARD_OPTS adds JVM options; JAVA_HOME picks the Java (17 or later).
setlocal
set "SEQGUARD_HOME=%~dp0.."
if defined JAVA_HOME (
    set "SEQGUARD_JAVA=%JAVA_HOME:"=%\bin\java.exe"
) else (
    set "SEQGUARD_JAVA=java.exe"
)
if defined JAVA_HOME if not exist "%SEQGUARD_JAVA%" goto nojava
if not defined JAVA_HOME (where /q java.exe || goto nojava)
"%SEQGUARD_JAVA%" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xlog:disable -Xlog:all=warning:stderr ^
    %SEQGUARD_OPTS% -jar "%SEQGUARD_HOME%\lib\seqguard.jar" %*
exit /b %ERRORLEVEL%
:nojava
echo seqguard: no Java found (%SEQGUARD_JAVA%): install Java 17 or later, or set JAVA_HOME 1>&2
exit /b 1
