@echo off
rem The command line of seqguard: the runnable jar in ..\lib, in a JVM set up for a run of seconds
rem (see bin/seqguard). SEQGUARD_OPTS adds JVM options; JAVA_HOME picks the Java (17 or later).
setlocal
set "SEQGUARD_HOME=%~dp0.."
if defined JAVA_HOME (set "SEQGUARD_JAVA=%JAVA_HOME%\bin\java") else (set "SEQGUARD_JAVA=java")
"%SEQGUARD_JAVA%" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xlog:disable -Xlog:all=warning:stderr ^
    %SEQGUARD_OPTS% -jar "%SEQGUARD_HOME%\lib\seqguard.jar" %*
exit /b %ERRORLEVEL%
