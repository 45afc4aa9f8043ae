using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ControlPlane.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Pipelines : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AttemptLogLines",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    AttemptId = table.Column<Guid>(type: "uuid", nullable: false),
                    RunId = table.Column<Guid>(type: "uuid", nullable: false),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Level = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Message = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AttemptLogLines", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PipelineRuns",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Pipeline = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    TenantSlug = table.Column<string>(type: "character varying(48)", maxLength: 48, nullable: true),
                    UseCase = table.Column<string>(type: "character varying(48)", maxLength: 48, nullable: true),
                    ParentRunId = table.Column<Guid>(type: "uuid", nullable: true),
                    State = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Trigger = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    TriggeredBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    FinishedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    DeadlineAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Error = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    ParametersJson = table.Column<string>(type: "text", nullable: false),
                    TaskCount = table.Column<int>(type: "integer", nullable: false),
                    TasksFinished = table.Column<int>(type: "integer", nullable: false),
                    ChildCount = table.Column<int>(type: "integer", nullable: false),
                    ChildrenSucceeded = table.Column<int>(type: "integer", nullable: false),
                    ChildrenFailed = table.Column<int>(type: "integer", nullable: false),
                    Version = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PipelineRuns", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PipelineSchedules",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Pipeline = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    TenantSlug = table.Column<string>(type: "character varying(48)", maxLength: 48, nullable: false),
                    UseCase = table.Column<string>(type: "character varying(48)", maxLength: 48, nullable: false),
                    Cron = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    TimeZone = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Paused = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    LastRunAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PipelineSchedules", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "TaskRuns",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    RunId = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Upstream = table.Column<string>(type: "text", nullable: false),
                    Order = table.Column<int>(type: "integer", nullable: false),
                    State = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Pool = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    FairKey = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    MaxAttempts = table.Column<int>(type: "integer", nullable: false),
                    ReadyAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    NotBefore = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    FinishedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Progress = table.Column<double>(type: "double precision", nullable: false),
                    ProgressMessage = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    Error = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    Node = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    CurrentAttemptId = table.Column<Guid>(type: "uuid", nullable: true),
                    Version = table.Column<Guid>(type: "uuid", nullable: false),
                    PendingUpstream = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TaskRuns", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TaskRuns_PipelineRuns_RunId",
                        column: x => x.RunId,
                        principalTable: "PipelineRuns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "TaskAttempts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    TaskRunId = table.Column<Guid>(type: "uuid", nullable: false),
                    RunId = table.Column<Guid>(type: "uuid", nullable: false),
                    Number = table.Column<int>(type: "integer", nullable: false),
                    State = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Node = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    DispatchedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    FinishedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Error = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TaskAttempts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TaskAttempts_TaskRuns_TaskRunId",
                        column: x => x.TaskRunId,
                        principalTable: "TaskRuns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AttemptLogLines_AttemptId_Id",
                table: "AttemptLogLines",
                columns: new[] { "AttemptId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_AttemptLogLines_RunId",
                table: "AttemptLogLines",
                column: "RunId");

            migrationBuilder.CreateIndex(
                name: "IX_PipelineRuns_CreatedAt",
                table: "PipelineRuns",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_PipelineRuns_ParentRunId",
                table: "PipelineRuns",
                column: "ParentRunId");

            migrationBuilder.CreateIndex(
                name: "IX_PipelineRuns_Pipeline_CreatedAt",
                table: "PipelineRuns",
                columns: new[] { "Pipeline", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_PipelineRuns_State_CreatedAt",
                table: "PipelineRuns",
                columns: new[] { "State", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_PipelineRuns_TenantSlug_CreatedAt",
                table: "PipelineRuns",
                columns: new[] { "TenantSlug", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_PipelineRuns_UseCase_CreatedAt",
                table: "PipelineRuns",
                columns: new[] { "UseCase", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_PipelineSchedules_TenantSlug_UseCase_Pipeline",
                table: "PipelineSchedules",
                columns: new[] { "TenantSlug", "UseCase", "Pipeline" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_TaskAttempts_State_Node",
                table: "TaskAttempts",
                columns: new[] { "State", "Node" });

            migrationBuilder.CreateIndex(
                name: "IX_TaskAttempts_TaskRunId_Number",
                table: "TaskAttempts",
                columns: new[] { "TaskRunId", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_TaskRuns_Node_State",
                table: "TaskRuns",
                columns: new[] { "Node", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_TaskRuns_RunId_Name",
                table: "TaskRuns",
                columns: new[] { "RunId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_TaskRuns_State_Pool_FairKey_ReadyAt",
                table: "TaskRuns",
                columns: new[] { "State", "Pool", "FairKey", "ReadyAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AttemptLogLines");

            migrationBuilder.DropTable(
                name: "PipelineSchedules");

            migrationBuilder.DropTable(
                name: "TaskAttempts");

            migrationBuilder.DropTable(
                name: "TaskRuns");

            migrationBuilder.DropTable(
                name: "PipelineRuns");
        }
    }
}
